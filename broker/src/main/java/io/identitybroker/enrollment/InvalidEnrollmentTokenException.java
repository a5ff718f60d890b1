package io.identitybroker.enrollment;

import io.identitybroker.api.ProblemException;
import io.micronaut.http.HttpStatus;

/** One answer for every unusable token, so the response is no oracle; the reason goes to audit only. */
public class InvalidEnrollmentTokenException extends ProblemException {
    public InvalidEnrollmentTokenException() {
        super(HttpStatus.UNAUTHORIZED, "invalid_enrollment_token", "Unauthorized",
                "The enrollment token is not valid.");
    }
}
