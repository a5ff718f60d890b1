package io.identitybroker.spiffe;

/** A token that is not a valid JWT-SVID for this verifier; {@link #reason()} is a short code. */
public class InvalidJwtSvidException extends RuntimeException {
    private final String reason;

    public InvalidJwtSvidException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
