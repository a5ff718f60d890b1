package io.identitybroker.vault;

import java.util.List;

/**
 * Vault answered a request with a client error (4xx other than 429). The status and Vault's
 * error strings let callers tell "no such mount or role" from "not permitted".
 */
public class VaultRequestException extends RuntimeException {
    private final int status;
    private final List<String> errors;

    public VaultRequestException(int status, List<String> errors) {
        super("Vault answered " + status + ": " + String.join("; ", errors), null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }
}
