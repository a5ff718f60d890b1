package io.identitybroker.oauth;

import io.micronaut.http.HttpStatus;

/**
 * Every {@code error} code the OAuth endpoints answer (RFC 6749 §5.2, RFC 7662 §2.3), with its
 * usual status and the description used when the failure has none of its own. docs/oauth.md
 * lists exactly these ({@code OAuthErrorCodesDocumentedTest}).
 */
public enum OAuthErrorCode {
    /** A malformed or incomplete request, a second client authentication method, or a framework refusal (415, 413, 405…). */
    INVALID_REQUEST("invalid_request", HttpStatus.BAD_REQUEST, "The request is malformed or misses a required part."),
    /** Client authentication failed. */
    INVALID_CLIENT("invalid_client", HttpStatus.UNAUTHORIZED, "Client authentication failed."),
    /** The authenticated caller may not use this endpoint (introspection without the capability). */
    UNAUTHORIZED_CLIENT("unauthorized_client", HttpStatus.FORBIDDEN, "Not allowed."),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", HttpStatus.BAD_REQUEST, "Only client_credentials is supported."),
    INVALID_SCOPE("invalid_scope", HttpStatus.BAD_REQUEST, "The requested scope is invalid."),
    /** Vault or the database cannot serve now; with {@code Retry-After}. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Try again later."),
    /** An unexpected failure; the description reveals nothing of it. */
    SERVER_ERROR("server_error", HttpStatus.INTERNAL_SERVER_ERROR,
            "The request failed; the correlation id identifies it in the logs.");

    private final String code;
    private final HttpStatus status;
    private final String defaultDescription;

    OAuthErrorCode(String code, HttpStatus status, String defaultDescription) {
        this.code = code;
        this.status = status;
        this.defaultDescription = defaultDescription;
    }

    /** The value of the {@code error} member. */
    public String code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    public String defaultDescription() {
        return defaultDescription;
    }
}
