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
 * cache lifetime outside 0..{@value #MAX_CAPABILITY_CACHE_TTL}, or a Vault liveness age outside
 * 0..{@value #MAX_VAULT_LIVENESS_MAX_AGE}, stops the start with one line naming the setting, rather
 * than being quietly clamped.
 */
@Context
@ConfigurationProperties(AdminSecurityConfigurationProperties.PREFIX)
public class AdminSecurityConfigurationProperties implements AdminSecurityConfiguration {
    public static final String PREFIX = "broker.admin";
    /** The bound of docs/api.md's revocation contract. */
    public static final String MAX_CAPABILITY_CACHE_TTL = "30s";
    /** The maximum. */
    public static final String DEFAULT_CAPABILITY_CACHE_TTL = MAX_CAPABILITY_CACHE_TTL;
    /** The longest a sealed or unreachable Vault may go unnoticed by cached decisions. */
    public static final String MAX_VAULT_LIVENESS_MAX_AGE = "1s";
    /** Under load about ten probes a second, whatever the request rate. */
    public static final String DEFAULT_VAULT_LIVENESS_MAX_AGE = "100ms";

    @NotNull
    @DurationMin("0s")
    @DurationMax(MAX_CAPABILITY_CACHE_TTL)
    private Duration capabilityCacheTtl = Settings.duration(DEFAULT_CAPABILITY_CACHE_TTL);

    @NotNull
    @DurationMin("0s")
    @DurationMax(MAX_VAULT_LIVENESS_MAX_AGE)
    private Duration vaultLivenessMaxAge = Settings.duration(DEFAULT_VAULT_LIVENESS_MAX_AGE);

    @Override
    public Duration getCapabilityCacheTtl() {
        return capabilityCacheTtl;
    }

    public void setCapabilityCacheTtl(Duration capabilityCacheTtl) {
        this.capabilityCacheTtl = capabilityCacheTtl;
    }

    @Override
    public Duration getVaultLivenessMaxAge() {
        return vaultLivenessMaxAge;
    }

    public void setVaultLivenessMaxAge(Duration vaultLivenessMaxAge) {
        this.vaultLivenessMaxAge = vaultLivenessMaxAge;
    }
}
