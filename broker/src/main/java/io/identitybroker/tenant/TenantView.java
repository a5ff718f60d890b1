package io.identitybroker.tenant;

import io.identitybroker.pki.PkiBackend;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A tenant as the API shows it.
 *
 * @param crlUrl  where relying parties fetch the tenant's CRL (the mount's {@code config/urls}); null when unknown
 * @param ocspUrl the tenant's OCSP responder (idem)
 */
public record TenantView(String id, String displayName, String trustDomain, String pkiMount, String pkiRole,
                         TenantStatus status, boolean allowDnsSan, @Nullable String crlUrl, @Nullable String ocspUrl,
                         Instant createdAt, Instant updatedAt) {
    static TenantView of(Tenant t, PkiBackend.PkiUrls urls) {
        return new TenantView(t.id(), t.displayName(), t.trustDomain(), t.pkiMount(), t.pkiRole(), t.status(),
                t.allowDnsSan(), first(urls.crlDistributionPoints()), first(urls.ocspServers()),
                t.createdAt(), t.updatedAt());
    }

    private static String first(java.util.List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }
}
