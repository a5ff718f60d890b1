package io.identitybroker.security;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Admin authorization settings ({@code broker.admin.*}). */
@ConfigurationProperties("broker.admin")
public class AdminSecurityProperties {
    /** Upper bound of the contract; longer values are clamped. */
    static final Duration MAX_CACHE_TTL = Duration.ofSeconds(30);

    /** How long a token's identity and capabilities are reused. Default 30 s (the maximum); 0 disables. */
    private Duration capabilityCacheTtl = MAX_CACHE_TTL;

    public Duration getCapabilityCacheTtl() {
        return capabilityCacheTtl.compareTo(MAX_CACHE_TTL) > 0 ? MAX_CACHE_TTL : capabilityCacheTtl;
    }

    public void setCapabilityCacheTtl(Duration capabilityCacheTtl) {
        this.capabilityCacheTtl = capabilityCacheTtl;
    }
}
