package io.identitybroker.federation;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A foreign trust domain as the API shows it, with the state of its bundle on the replica that answers.
 *
 * @param bundleStale true when client authentication against this trust domain is refused for want of a fresh bundle
 * @param lastError   reason code of the last failed refresh since the last success, else null
 */
public record TrustDomainView(String name, String profile, @Nullable String bundleEndpointUrl, @Nullable String endpointSpiffeId,
                              boolean endpointCaSet,
                              String source, Instant createdAt, Instant updatedAt, @Nullable Instant lastRefresh,
                              @Nullable Instant nextRefresh, @Nullable Long bundleSequence, int x509Authorities,
                              int jwtAuthorities, boolean bundleStale, @Nullable String lastError) {
    static TrustDomainView of(TrustDomain td, @Nullable FederatedBundles.Status s) {
        return new TrustDomainView(td.name(), td.profile(), td.endpointUrl(), td.endpointSpiffeId(), td.endpointCa() != null, td.source(),
                td.createdAt(), td.updatedAt(), s == null ? null : s.lastRefresh(), s == null ? null : s.nextRefresh(),
                s == null ? null : s.sequence(), s == null ? 0 : s.x509Authorities(), s == null ? 0 : s.jwtAuthorities(),
                s == null || s.stale(), s == null ? null : s.lastError());
    }
}
