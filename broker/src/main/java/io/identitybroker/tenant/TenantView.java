package io.identitybroker.tenant;

import java.time.Instant;

/** A tenant as the API shows it. */
public record TenantView(String id, String displayName, String trustDomain, String pkiMount, String pkiRole,
                         TenantStatus status, Instant createdAt, Instant updatedAt) {
    static TenantView of(Tenant t) {
        return new TenantView(t.id(), t.displayName(), t.trustDomain(), t.pkiMount(), t.pkiRole(), t.status(),
                t.createdAt(), t.updatedAt());
    }
}
