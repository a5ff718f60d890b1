package io.identitybroker.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds RFC 9457 {@code application/problem+json} bodies and responses. */
public final class Problems {
    /** Base of every problem type; the suffix is the stable error code. */
    public static final String TYPE_BASE = "https://identity-broker.io/errors/";
    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private Problems() {
    }

    public static Map<String, Object> body(HttpRequest<?> request, HttpStatus status, String code,
                                           String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + code);
        body.put("title", title);
        body.put("status", status.getCode());
        if (detail != null) {
            body.put("detail", detail);
        }
        if (request != null) {
            body.put("instance", request.getPath());
            body.put("correlation_id", CorrelationId.of(request));
        }
        return body;
    }

    public static MutableHttpResponse<Map<String, Object>> response(HttpRequest<?> request, ProblemException e) {
        MutableHttpResponse<Map<String, Object>> response = HttpResponse
                .<Map<String, Object>>status(e.status())
                .body(body(request, e.status(), e.code(), e.title(), e.detail()))
                .contentType(PROBLEM_JSON);
        e.headers().forEach(response::header);
        return response;
    }
}
