package io.identitybroker.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/**
 * Admin authorization settings ({@code broker.admin.*}), checked when the broker starts: a cache
 * lifetime outside 0..{@link #MAX_CACHE_TTL} stops the start with one line naming the setting,
 * rather than being quietly clamped.
 */
@Context
@ConfigurationProperties("broker.admin")
public class AdminSecurityProperties {
    /**
     * The contract of docs/api.md: a token revoked, or a policy withdrawn, in Vault stops working
     * on the broker within this long.
     */
    static final Duration MAX_CACHE_TTL = Duration.ofSeconds(30);

    /** How long a token's identity and capabilities are reused. Default 30 s (the maximum); 0 disables. */
    private Duration capabilityCacheTtl = MAX_CACHE_TTL;

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
