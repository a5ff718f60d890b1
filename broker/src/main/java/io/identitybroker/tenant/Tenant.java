package io.identitybroker.tenant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A tenant as stored. */
@MappedEntity("tenants")
public record Tenant(@Id String id, String displayName, String trustDomain, String pkiMount, String pkiRole,
                     TenantStatus status, Instant createdAt, Instant updatedAt, String source) {
    /** Created through the admin API. */
    public static final String SOURCE_API = "api";
    /** Synced from a declaration in Vault KV. */
    public static final String SOURCE_VAULT_KV = "vault-kv";

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }
}
