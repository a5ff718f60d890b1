package io.identitybroker.anchor;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link AnchorConfiguration} from {@code broker.audit.anchor.*}. */
@Context
@ConfigurationProperties(AnchorConfigurationProperties.PREFIX)
public class AnchorConfigurationProperties implements AnchorConfiguration {
    public static final String PREFIX = "broker.audit.anchor";
    public static final String DEFAULT_INTERVAL = "60s";
    /** The tenant declarations' mount. */
    public static final String DEFAULT_KV_MOUNT = "identity-broker-kv";
    public static final String DEFAULT_KV_PATH = "audit-anchors";

    @NotNull
    @DurationMin("1ms")
    private Duration interval = Settings.duration(DEFAULT_INTERVAL);
    @NotBlank
    private String kvMount = DEFAULT_KV_MOUNT;
    @NotBlank
    private String kvPath = DEFAULT_KV_PATH;

    @Override
    public Duration getInterval() { return interval; }
    public void setInterval(Duration interval) { this.interval = interval; }
    @Override
    public String getKvMount() { return kvMount; }
    public void setKvMount(String kvMount) { this.kvMount = kvMount; }
    @Override
    public String getKvPath() { return kvPath; }
    public void setKvPath(String kvPath) { this.kvPath = kvPath; }
}
