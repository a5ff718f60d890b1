package io.identitybroker.enrollment;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;

/** One answer for every unusable token, so the response is no oracle; the reason goes to audit only. */
public class InvalidEnrollmentTokenException extends ProblemException {
    public InvalidEnrollmentTokenException() {
        super(ProblemType.INVALID_ENROLLMENT_TOKEN, "The enrollment token is not valid.");
    }
}
