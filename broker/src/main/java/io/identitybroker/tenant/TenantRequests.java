package io.identitybroker.tenant;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** Request bodies of the tenant API (snake_case on the wire). */
public final class TenantRequests {
    private TenantRequests() {
    }

    /** {@code POST /api/v1/tenants}; {@code pki_mount} defaults to {@code pki-tenants/<id>}, {@code pki_role} to {@code agent}. */
    @Introspected
    public record Create(String id, @Nullable String displayName, String trustDomain,
                         @Nullable String pkiMount, @Nullable String pkiRole, @Nullable Boolean allowDnsSan) {
    }

    /** {@code PATCH /api/v1/tenants/{tenant}}: any subset. */
    @Introspected
    public record Update(@Nullable String status, @Nullable String displayName, @Nullable Boolean allowDnsSan) {
    }
}
