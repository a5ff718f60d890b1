package io.identitybroker.tenant;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/** Where tenants come from ({@code broker.tenants.*}). */
@ConfigurationProperties("broker.tenants")
public class TenantSyncProperties {
    /** {@code api} and/or {@code vault-kv} (env {@code BROKER_TENANTS_SOURCE=api,vault-kv}). Default {@code api}. */
    private List<String> source = List.of(Tenant.SOURCE_API);
    /** How often declarations are re-read. Default 60 s. */
    private Duration syncInterval = Duration.ofSeconds(60);
    /** The KV v2 mount of the declarations. Default {@code identity-broker-kv}. */
    private String kvMount = "identity-broker-kv";
    /** The folder of the declarations inside the mount. Default {@code tenants}. */
    private String kvPath = "tenants";

    public List<String> getSource() { return source; }
    public void setSource(List<String> source) { this.source = source; }
    public Duration getSyncInterval() { return syncInterval; }
    public void setSyncInterval(Duration syncInterval) { this.syncInterval = syncInterval; }
    public String getKvMount() { return kvMount; }
    public void setKvMount(String kvMount) { this.kvMount = kvMount; }
    public String getKvPath() { return kvPath; }
    public void setKvPath(String kvPath) { this.kvPath = kvPath; }

    boolean vaultKvEnabled() {
        return source.stream().anyMatch(s -> s.trim().equals(Tenant.SOURCE_VAULT_KV));
    }
}
