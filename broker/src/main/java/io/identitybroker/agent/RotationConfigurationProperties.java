package io.identitybroker.agent;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link RotationConfiguration} from {@code broker.rotation.*}; a negative grace or a sweep interval below 1 ms stops the start. */
@Context
@ConfigurationProperties(RotationConfigurationProperties.PREFIX)
public class RotationConfigurationProperties implements RotationConfiguration {
    public static final String PREFIX = "broker.rotation";
    public static final String DEFAULT_GRACE = "10m";
    public static final String DEFAULT_SWEEP_INTERVAL = "30s";

    @NotNull
    @DurationMin("0s")
    private Duration grace = Settings.duration(DEFAULT_GRACE);
    @NotNull
    @DurationMin("1ms")
    private Duration sweepInterval = Settings.duration(DEFAULT_SWEEP_INTERVAL);

    @Override
    public Duration getGrace() { return grace; }
    public void setGrace(Duration grace) { this.grace = grace; }
    @Override
    public Duration getSweepInterval() { return sweepInterval; }
    public void setSweepInterval(Duration sweepInterval) { this.sweepInterval = sweepInterval; }
}
