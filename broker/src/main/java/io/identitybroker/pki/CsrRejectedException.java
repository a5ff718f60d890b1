package io.identitybroker.pki;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;

/** A CSR the policy refuses; {@link #code()} is both the problem type and the audit reason. */
public class CsrRejectedException extends ProblemException {
    public CsrRejectedException(ProblemType type, String detail) {
        super(type, detail);
    }
}
