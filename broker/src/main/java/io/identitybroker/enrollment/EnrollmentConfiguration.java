package io.identitybroker.enrollment;

import java.time.Duration;

/** Enrollment settings ({@value EnrollmentConfigurationProperties#PREFIX}.*). */
public interface EnrollmentConfiguration {
    /** Lifetime of a token when the request names none. */
    Duration getDefaultTokenTtl();

    /** Longest lifetime an admin may ask for. */
    Duration getMaxTokenTtl();
}
