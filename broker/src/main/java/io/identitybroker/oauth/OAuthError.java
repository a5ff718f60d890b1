package io.identitybroker.oauth;

import io.micronaut.http.HttpStatus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One RFC 6749 §5.2 error as the client sees it: the code, a description safe to show (it never
 * quotes a token, secret or other client text), the status, and the headers it needs
 * ({@code WWW-Authenticate} on a 401 that asks for a scheme, {@code Retry-After} on a 503).
 */
public record OAuthError(OAuthErrorCode code, String description, HttpStatus status, Map<String, String> headers) {
    public OAuthError {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The code with its usual status. */
    public static OAuthError of(OAuthErrorCode code, String description) {
        return new OAuthError(code, description, code.status(), Map.of());
    }

    public OAuthError withStatus(HttpStatus otherStatus) {
        return new OAuthError(code, description, otherStatus, headers);
    }

    public OAuthError withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new OAuthError(code, description, status, more);
    }

    public OAuthError withHeaders(Map<String, String> more) {
        OAuthError e = this;
        for (Map.Entry<String, String> h : more.entrySet()) {
            e = e.withHeader(h.getKey(), h.getValue());
        }
        return e;
    }
}
