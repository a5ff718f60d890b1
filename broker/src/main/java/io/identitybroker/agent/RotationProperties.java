package io.identitybroker.agent;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Certificate rotation ({@code broker.rotation.*}). */
@ConfigurationProperties("broker.rotation")
public class RotationProperties {
    /** How long the replaced certificate is still accepted after a rotation. Default 10 min; 0 revokes it at once. */
    private Duration grace = Duration.ofMinutes(10);
    /** How often the job looks for previous certificates whose grace ended, to revoke them in Vault. Default 30 s. */
    private Duration sweepInterval = Duration.ofSeconds(30);

    public Duration getGrace() { return grace; }
    public void setGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("broker.rotation.grace must not be negative");
        }
        this.grace = grace;
    }
    public Duration getSweepInterval() { return sweepInterval; }
    public void setSweepInterval(Duration sweepInterval) { this.sweepInterval = sweepInterval; }
}
