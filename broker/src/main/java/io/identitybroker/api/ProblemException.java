package io.identitybroker.api;

import io.micronaut.http.HttpStatus;

import java.util.Map;

/**
 * A failure the caller should see as an RFC 9457 problem of a {@link ProblemType}: its code is the
 * stable suffix of the problem type ({@code .../errors/<code>}); the detail is safe to show and
 * never carries secrets. Status and title are the type's, except where the framework's own
 * classification or an issuing route names its own ({@link #ProblemException(ProblemType, HttpStatus, String, String, Map, Throwable)}).
 */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final HttpStatus status;
    private final String title;
    private final Map<String, String> headers;

    /** The type with its default detail. */
    public ProblemException(ProblemType type) {
        this(type, type.defaultDetail());
    }

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of(), null);
    }

    public ProblemException(ProblemType type, String detail, Map<String, String> headers, Throwable cause) {
        this(type, type.status(), type.title(), detail, headers, cause);
    }

    public ProblemException(ProblemType type, HttpStatus status, String title, String detail,
                            Map<String, String> headers, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
        this.status = status;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public ProblemType type() {
        return type;
    }

    public HttpStatus status() {
        return status;
    }

    /** The stable code ({@link ProblemType#code()}), also the audit reason of the failure. */
    public String code() {
        return type.code();
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
}
