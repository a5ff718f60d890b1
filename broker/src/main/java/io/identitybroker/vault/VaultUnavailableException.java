package io.identitybroker.vault;

import io.identitybroker.api.ProblemException;
import io.micronaut.http.HttpStatus;

import java.time.Duration;
import java.util.Map;

/** Vault is unreachable, sealed, overloaded or failing: the caller may retry later (503). */
public class VaultUnavailableException extends ProblemException {
    public VaultUnavailableException(String detail, Duration retryAfter, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "vault_unavailable", "Vault unavailable", detail,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))), cause);
    }
}
