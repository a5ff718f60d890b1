package io.identitybroker.enrollment;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link EnrollmentConfiguration} from {@code broker.enrollment.*}; each lifetime is at least 1 s. */
@Context
@ConfigurationProperties(EnrollmentConfigurationProperties.PREFIX)
public class EnrollmentConfigurationProperties implements EnrollmentConfiguration {
    public static final String PREFIX = "broker.enrollment";
    public static final String DEFAULT_DEFAULT_TOKEN_TTL = "1h";
    public static final String DEFAULT_MAX_TOKEN_TTL = "30d";

    @NotNull
    @DurationMin("1s")
    private Duration defaultTokenTtl = Settings.duration(DEFAULT_DEFAULT_TOKEN_TTL);
    @NotNull
    @DurationMin("1s")
    private Duration maxTokenTtl = Settings.duration(DEFAULT_MAX_TOKEN_TTL);

    @Override
    public Duration getDefaultTokenTtl() { return defaultTokenTtl; }
    public void setDefaultTokenTtl(Duration defaultTokenTtl) { this.defaultTokenTtl = defaultTokenTtl; }
    @Override
    public Duration getMaxTokenTtl() { return maxTokenTtl; }
    public void setMaxTokenTtl(Duration maxTokenTtl) { this.maxTokenTtl = maxTokenTtl; }

    /** A default above the maximum would refuse every request that names no lifetime. */
    @PostConstruct
    void checkOrder() {
        Settings.requireOrdered(PREFIX + ".default-token-ttl", defaultTokenTtl, PREFIX + ".max-token-ttl", maxTokenTtl);
    }
}
