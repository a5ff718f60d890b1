package io.identitybroker.tenant;

import java.time.Duration;
import java.util.List;

/** Where tenants come from ({@value TenantSyncConfigurationProperties#PREFIX}.*). */
public interface TenantSyncConfiguration {
    /** {@code api} and/or {@code vault-kv} (env {@code BROKER_TENANTS_SOURCE=api,vault-kv}). */
    List<String> getSource();

    /** How often declarations are re-read. */
    Duration getSyncInterval();

    /** The KV v2 mount of the declarations. */
    String getKvMount();

    /** The folder of the declarations inside the mount. */
    String getKvPath();

    /** Whether declarations are read from Vault KV. */
    default boolean vaultKvEnabled() {
        return getSource().stream().anyMatch(s -> s.trim().equals(Tenant.SOURCE_VAULT_KV));
    }
}
