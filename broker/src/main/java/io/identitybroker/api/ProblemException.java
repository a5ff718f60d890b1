package io.identitybroker.api;

import io.micronaut.http.HttpStatus;

import java.util.Map;

/**
 * A failure the caller should see as an RFC 9457 problem. The {@code code} is the stable suffix of
 * the problem type ({@code .../errors/<code>}); the detail is safe to show and never carries secrets.
 */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final String title;
    private final Map<String, String> headers;

    public ProblemException(HttpStatus status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of(), null);
    }

    public ProblemException(HttpStatus status, String code, String title, String detail,
                            Map<String, String> headers, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, code, "Invalid request", detail);
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, code, "Not found", detail);
    }
}
