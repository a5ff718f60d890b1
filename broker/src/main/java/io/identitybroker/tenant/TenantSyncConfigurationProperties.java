package io.identitybroker.tenant;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;
import java.util.List;

/** {@link TenantSyncConfiguration} from {@code broker.tenants.*}; a source other than api or vault-kv stops the start. */
@Context
@ConfigurationProperties(TenantSyncConfigurationProperties.PREFIX)
public class TenantSyncConfigurationProperties implements TenantSyncConfiguration {
    public static final String PREFIX = "broker.tenants";
    /** A source entry: {@code api} or {@code vault-kv}, blank allowed (an empty list). */
    public static final String SOURCE_PATTERN = "\\s*(" + Tenant.SOURCE_API + "|" + Tenant.SOURCE_VAULT_KV + ")?\\s*";
    public static final String DEFAULT_SOURCE = Tenant.SOURCE_API;
    public static final String DEFAULT_SYNC_INTERVAL = "60s";
    public static final String DEFAULT_KV_MOUNT = "identity-broker-kv";
    public static final String DEFAULT_KV_PATH = "tenants";

    @NotNull
    private List<@Pattern(regexp = SOURCE_PATTERN, message = "must list api and/or vault-kv") String> source = List.of(DEFAULT_SOURCE);
    @NotNull
    @DurationMin("1ms")
    private Duration syncInterval = Settings.duration(DEFAULT_SYNC_INTERVAL);
    @NotBlank
    private String kvMount = DEFAULT_KV_MOUNT;
    @NotBlank
    private String kvPath = DEFAULT_KV_PATH;

    @Override
    public List<String> getSource() { return source; }
    public void setSource(List<String> source) { this.source = source; }
    @Override
    public Duration getSyncInterval() { return syncInterval; }
    public void setSyncInterval(Duration syncInterval) { this.syncInterval = syncInterval; }
    @Override
    public String getKvMount() { return kvMount; }
    public void setKvMount(String kvMount) { this.kvMount = kvMount; }
    @Override
    public String getKvPath() { return kvPath; }
    public void setKvPath(String kvPath) { this.kvPath = kvPath; }
}
