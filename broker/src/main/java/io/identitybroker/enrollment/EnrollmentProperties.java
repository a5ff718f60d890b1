package io.identitybroker.enrollment;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Enrollment settings ({@code broker.enrollment.*}). */
@ConfigurationProperties("broker.enrollment")
public class EnrollmentProperties {
    /** Lifetime of a token when the request names none. Default 1 h. */
    private Duration defaultTokenTtl = Duration.ofHours(1);
    /** Longest lifetime an admin may ask for. Default 30 days. */
    private Duration maxTokenTtl = Duration.ofDays(30);

    public Duration getDefaultTokenTtl() { return defaultTokenTtl; }
    public void setDefaultTokenTtl(Duration defaultTokenTtl) { this.defaultTokenTtl = defaultTokenTtl; }
    public Duration getMaxTokenTtl() { return maxTokenTtl; }
    public void setMaxTokenTtl(Duration maxTokenTtl) { this.maxTokenTtl = maxTokenTtl; }
}
