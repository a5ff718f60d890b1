package io.identitybroker.federation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * An OAuth client of a tenant whose identity is external: a foreign SPIFFE ID (or
 * {@link SpiffeIdPattern pattern}) of a declared trust domain. It has no secret, no enrollment
 * and no certificate binding; it authenticates with spiffe_x509 or spiffe_jwt.
 *
 * @param spiffeId the exact SPIFFE ID or pattern, as registered
 * @param labels   JSON object of string labels
 * @param scopes   space-separated scopes it may be granted
 */
@MappedEntity("external_clients")
public record ExternalClient(@Id String id, String tenantId, String trustDomain, String spiffeId, @Nullable String name,
                             String labels, String scopes, Instant createdAt, Instant updatedAt) {
    public SpiffeIdPattern pattern() {
        return SpiffeIdPattern.parse(spiffeId);
    }
}
