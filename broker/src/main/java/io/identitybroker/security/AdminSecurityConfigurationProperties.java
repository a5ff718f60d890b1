package io.identitybroker.security;

import io.identitybroker.config.DurationMax;
import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@link AdminSecurityConfiguration} from {@code broker.admin.*}, checked when the broker starts: a
 * cache lifetime outside 0..{@value #MAX_CAPABILITY_CACHE_TTL} stops the start with one line naming
 * the setting, rather than being quietly clamped.
 */
@Context
@ConfigurationProperties(AdminSecurityConfigurationProperties.PREFIX)
public class AdminSecurityConfigurationProperties implements AdminSecurityConfiguration {
    public static final String PREFIX = "broker.admin";
    /** The bound of docs/api.md's revocation contract. */
    public static final String MAX_CAPABILITY_CACHE_TTL = "30s";
    /** The maximum. */
    public static final String DEFAULT_CAPABILITY_CACHE_TTL = MAX_CAPABILITY_CACHE_TTL;

    @NotNull
    @DurationMin("0s")
    @DurationMax(MAX_CAPABILITY_CACHE_TTL)
    private Duration capabilityCacheTtl = Settings.duration(DEFAULT_CAPABILITY_CACHE_TTL);

    @Override
    public Duration getCapabilityCacheTtl() {
        return capabilityCacheTtl;
    }

    public void setCapabilityCacheTtl(Duration capabilityCacheTtl) {
        this.capabilityCacheTtl = capabilityCacheTtl;
    }
}
