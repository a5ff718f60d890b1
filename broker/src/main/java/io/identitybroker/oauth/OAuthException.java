package io.identitybroker.oauth;

/**
 * A refusal at an OAuth endpoint, carrying the {@link OAuthError} the client gets. Thrown anywhere
 * in the handling of an {@code /oauth2} request; {@link OAuthErrorHandler} renders it. Any
 * audit event is written before it is thrown.
 */
public class OAuthException extends RuntimeException {
    private final transient OAuthError error;

    public OAuthException(OAuthError error) {
        super(error.description(), null, false, false);
        this.error = error;
    }

    public OAuthException(OAuthErrorCode code, String description) {
        this(OAuthError.of(code, description));
    }

    public OAuthError error() {
        return error;
    }
}
