package io.identitybroker.oauth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth2 endpoints answer errors as RFC 6749 §5.2 JSON ({@code error}, {@code error_description}),
 * not problem+json: OAuth client libraries parse only that shape.
 */
final class OAuthErrors {
    private OAuthErrors() {
    }

    static MutableHttpResponse<Map<String, Object>> response(HttpStatus status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (description != null) {
            body.put("error_description", description);
        }
        MutableHttpResponse<Map<String, Object>> response = HttpResponse.<Map<String, Object>>status(status)
                .body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        return noStore(response);
    }

    /** Token and introspection answers must never be cached (RFC 6749 §5.1). */
    static <T> MutableHttpResponse<T> noStore(MutableHttpResponse<T> response) {
        return response.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }
}
