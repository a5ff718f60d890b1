package io.identitybroker.agent;

import java.time.Duration;

/** Certificate rotation ({@value RotationConfigurationProperties#PREFIX}.*). */
public interface RotationConfiguration {
    /** How long the replaced certificate is still accepted after a rotation; 0 revokes it at once. */
    Duration getGrace();

    /** How often the job looks for previous certificates whose grace ended, to revoke them in Vault. */
    Duration getSweepInterval();
}
