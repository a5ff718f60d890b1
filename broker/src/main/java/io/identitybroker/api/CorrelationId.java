package io.identitybroker.api;

import io.micronaut.http.HttpRequest;

import java.util.UUID;
import java.util.regex.Pattern;

/** The per-request correlation id: taken from {@code X-Correlation-Id} when well-formed, else generated. */
public final class CorrelationId {
    public static final String HEADER = "X-Correlation-Id";
    static final String ATTRIBUTE = "identitybroker.correlation-id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    private CorrelationId() {
    }

    /** The id for this request; assigns one if the filter has not run (e.g. very early errors). */
    public static String of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> assign(request));
    }

    static String assign(HttpRequest<?> request) {
        String offered = request.getHeaders().get(HEADER);
        String id = offered != null && WELL_FORMED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
