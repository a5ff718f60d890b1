package io.identitybroker.spiffe;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link BundleConfiguration} from {@code broker.spiffe.bundle.*}; the hint is whole seconds, at least 1. */
@Context
@ConfigurationProperties(BundleConfigurationProperties.PREFIX)
public class BundleConfigurationProperties implements BundleConfiguration {
    public static final String PREFIX = "broker.spiffe.bundle";
    public static final String DEFAULT_REFRESH_HINT = "300s";
    public static final String DEFAULT_REFRESH_INTERVAL = "60s";

    @NotNull
    @DurationMin("1s")
    private Duration refreshHint = Settings.duration(DEFAULT_REFRESH_HINT);
    @NotNull
    @DurationMin("1ms")
    private Duration refreshInterval = Settings.duration(DEFAULT_REFRESH_INTERVAL);

    @Override
    public Duration getRefreshHint() { return refreshHint; }
    public void setRefreshHint(Duration refreshHint) { this.refreshHint = refreshHint; }
    @Override
    public Duration getRefreshInterval() { return refreshInterval; }
    public void setRefreshInterval(Duration refreshInterval) { this.refreshInterval = refreshInterval; }
}
