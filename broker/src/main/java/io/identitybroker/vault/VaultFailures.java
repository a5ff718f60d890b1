package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;

import java.time.Duration;

/** Maps the driver's exceptions onto the broker's failure rules. */
final class VaultFailures {
    private VaultFailures() {
    }

    /** True for answers that say "try later": no answer, 429, 5xx (sealed Vault answers 503). */
    static boolean isUnavailable(int status) {
        return status == 0 || status == 429 || status >= 500;
    }

    /** The HTTP status behind a failure: the driver's exception or an error response it returned. */
    static int status(Exception e) {
        if (e instanceof VaultRequestException r) {
            return r.status();
        }
        return e instanceof VaultException v ? v.getHttpStatusCode() : 0;
    }

    static RuntimeException translate(String operation, Exception e, Duration retryAfter) {
        int status = status(e);
        if (isUnavailable(status)) {
            return new VaultUnavailableException("Vault did not complete " + operation + "; try again later.", retryAfter, e);
        }
        if (e instanceof VaultRequestException r) {
            return r;
        }
        return new VaultRequestException(status, VaultJson.errors(e.getMessage()));
    }
}
