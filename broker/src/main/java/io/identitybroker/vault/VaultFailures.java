package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;

import java.time.Duration;

/** Maps the driver's exceptions onto the broker's failure rules. */
final class VaultFailures {
    private VaultFailures() {
    }

    /** True for answers that say "try later": no answer, 429, 5xx (sealed Vault answers 503). */
    static boolean isUnavailable(VaultException e) {
        int status = e.getHttpStatusCode();
        return status == 0 || status == 429 || status >= 500;
    }

    static RuntimeException translate(String operation, VaultException e, Duration retryAfter) {
        if (isUnavailable(e)) {
            return new VaultUnavailableException("Vault did not complete " + operation + "; try again later.", retryAfter, e);
        }
        return new VaultRequestException(e.getHttpStatusCode(), VaultJson.errors(e.getMessage()));
    }
}
