package io.identitybroker.tenant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A tenant as stored.
 *
 * @param allowDnsSan whether an agent certificate without a URI SAN may name its agent by the DNS SAN
 *                    {@code <agent_id>.<tenant>.<trust_domain>} (default false: SPIFFE IDs only)
 */
@MappedEntity("tenants")
public record Tenant(@Id String id, String displayName, String trustDomain, String pkiMount, String pkiRole,
                     TenantStatus status, Instant createdAt, Instant updatedAt, boolean allowDnsSan, String source) {
    /** Created through the admin API. */
    public static final String SOURCE_API = "api";
    /** Synced from a declaration in Vault KV. */
    public static final String SOURCE_VAULT_KV = "vault-kv";

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }
}
