package io.identitybroker.oauth;

/**
 * An access token failed verification. {@link #reason()} is a short code safe to log or return
 * to the token's presenter (e.g. {@code bad_signature}, {@code binding_mismatch}); it never
 * quotes the token.
 */
public class InvalidAccessTokenException extends RuntimeException {
    private final String reason;

    public InvalidAccessTokenException(String reason) {
        super("access token rejected: " + reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
