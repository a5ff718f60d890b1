package io.identitybroker.spiffe;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.annotation.PostConstruct;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link JwtSvidConfiguration} from {@code broker.jwt-svid.*}; lifetimes of at least 1 s, named mount and key. */
@Context
@ConfigurationProperties(JwtSvidConfigurationProperties.PREFIX)
public class JwtSvidConfigurationProperties implements JwtSvidConfiguration {
    public static final String PREFIX = "broker.jwt-svid";
    public static final String DEFAULT_TTL = "5m";
    public static final String DEFAULT_MAX_TTL = "1h";
    public static final String DEFAULT_TRANSIT_MOUNT = "transit";
    public static final String DEFAULT_TRANSIT_KEY = "identity-broker-jwt-svid";
    public static final String DEFAULT_KEY_REFRESH_INTERVAL = "60s";

    @NotNull
    @DurationMin("1s")
    private Duration ttl = Settings.duration(DEFAULT_TTL);
    @NotNull
    @DurationMin("1s")
    private Duration maxTtl = Settings.duration(DEFAULT_MAX_TTL);
    @NotBlank
    private String transitMount = DEFAULT_TRANSIT_MOUNT;
    @NotBlank
    private String transitKey = DEFAULT_TRANSIT_KEY;
    @NotNull
    @DurationMin("1ms")
    private Duration keyRefreshInterval = Settings.duration(DEFAULT_KEY_REFRESH_INTERVAL);

    @Override
    public Duration getTtl() { return ttl; }
    public void setTtl(Duration ttl) { this.ttl = ttl; }
    @Override
    public Duration getMaxTtl() { return maxTtl; }
    public void setMaxTtl(Duration maxTtl) { this.maxTtl = maxTtl; }
    @Override
    public String getTransitMount() { return transitMount; }
    public void setTransitMount(String transitMount) { this.transitMount = transitMount; }
    @Override
    public String getTransitKey() { return transitKey; }
    public void setTransitKey(String transitKey) { this.transitKey = transitKey; }
    @Override
    public Duration getKeyRefreshInterval() { return keyRefreshInterval; }
    public void setKeyRefreshInterval(Duration keyRefreshInterval) { this.keyRefreshInterval = keyRefreshInterval; }

    /** A default above the maximum used to be cut to the maximum quietly. */
    @PostConstruct
    void checkOrder() {
        Settings.requireOrdered(PREFIX + ".ttl", ttl, PREFIX + ".max-ttl", maxTtl);
    }
}
