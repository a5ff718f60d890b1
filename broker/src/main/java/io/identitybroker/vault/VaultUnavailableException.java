package io.identitybroker.vault;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;

import java.time.Duration;
import java.util.Map;

/** Vault is unreachable, sealed, overloaded or failing: the caller may retry later (503). */
public class VaultUnavailableException extends ProblemException {
    public VaultUnavailableException(String detail, Duration retryAfter, Throwable cause) {
        super(ProblemType.VAULT_UNAVAILABLE, detail,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))), cause);
    }
}
