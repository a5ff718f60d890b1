package io.identitybroker.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/**
 * Admin authorization settings ({@code broker.admin.*}), checked when the broker starts: a cache
 * lifetime outside 0..{@link #MAX_CACHE_TTL}, or a Vault liveness age outside
 * 0..{@link #MAX_VAULT_LIVENESS_MAX_AGE}, stops the start with one line naming the setting, rather
 * than being quietly clamped.
 */
@Context
@ConfigurationProperties("broker.admin")
public class AdminSecurityProperties {
    /**
     * The contract of docs/api.md: a token revoked, or a policy withdrawn, in Vault stops working
     * on the broker within this long.
     */
    static final Duration MAX_CACHE_TTL = Duration.ofSeconds(30);

    /** The longest a sealed or unreachable Vault can go unnoticed by cached decisions. */
    static final Duration MAX_VAULT_LIVENESS_MAX_AGE = Duration.ofSeconds(1);

    /** How long a token's identity and capabilities are reused. Default 30 s (the maximum); 0 disables. */
    private Duration capabilityCacheTtl = MAX_CACHE_TTL;

    /**
     * A cached decision is used only if a Vault health probe that started at most this long ago
     * found Vault up. Default 100 ms; 0 makes every cached decision wait for a probe that started
     * after the request arrived.
     */
    private Duration vaultLivenessMaxAge = Duration.ofMillis(100);

    public Duration getVaultLivenessMaxAge() {
        return vaultLivenessMaxAge;
    }

    public void setVaultLivenessMaxAge(Duration vaultLivenessMaxAge) {
        if (vaultLivenessMaxAge == null || vaultLivenessMaxAge.isNegative()
                || vaultLivenessMaxAge.compareTo(MAX_VAULT_LIVENESS_MAX_AGE) > 0) {
            throw new ConfigurationException("broker.admin.vault-liveness-max-age (BROKER_ADMIN_VAULT_LIVENESS_MAX_AGE) must be "
                    + "between 0ms and " + MAX_VAULT_LIVENESS_MAX_AGE.toMillis() + "ms; got " + vaultLivenessMaxAge);
        }
        this.vaultLivenessMaxAge = vaultLivenessMaxAge;
    }

    public Duration getCapabilityCacheTtl() {
        return capabilityCacheTtl;
    }

    public void setCapabilityCacheTtl(Duration capabilityCacheTtl) {
        if (capabilityCacheTtl == null || capabilityCacheTtl.isNegative() || capabilityCacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
            throw new ConfigurationException("broker.admin.capability-cache-ttl (BROKER_ADMIN_CAPABILITY_CACHE_TTL) must be "
                    + "between 0s and " + MAX_CACHE_TTL.toSeconds() + "s; got " + capabilityCacheTtl);
        }
        this.capabilityCacheTtl = capabilityCacheTtl;
    }
}
