package io.identitybroker.pki;

import io.identitybroker.api.ProblemException;
import io.micronaut.http.HttpStatus;

/** A CSR the policy refuses; {@link #code()} is both the problem type and the audit reason. */
public class CsrRejectedException extends ProblemException {
    public CsrRejectedException(String code, String detail) {
        super(HttpStatus.BAD_REQUEST, code, "CSR rejected", detail);
    }
}
