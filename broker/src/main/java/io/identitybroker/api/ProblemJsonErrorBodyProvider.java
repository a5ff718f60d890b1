package io.identitybroker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Turns the framework's own errors (unparseable JSON, oversized bodies, unknown routes, bad
 * parameters) into problem+json with stable types, so clients see one error format everywhere.
 * Framework messages are not echoed: they can quote request content.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemJsonErrorBodyProvider implements JsonErrorResponseBodyProvider<Map<String, Object>> {
    /** The details of the framework's refusals (some differ from the type's default, e.g. a 415 here names no charset). */
    private static final Map<ProblemType, String> FRAMEWORK_DETAILS = Map.of(
            ProblemType.NOT_FOUND, "No such resource.",
            ProblemType.METHOD_NOT_ALLOWED, "Method not allowed on this resource.",
            ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send application/json.",
            ProblemType.NOT_ACCEPTABLE, "This resource answers in JSON.",
            ProblemType.REQUEST_TOO_LARGE, "The request body is larger than allowed.",
            ProblemType.UNAUTHORIZED, "Authentication is required.",
            ProblemType.FORBIDDEN, "Not allowed.",
            ProblemType.INVALID_REQUEST, "The request is malformed or misses a required part.");

    @Override
    public Map<String, Object> body(ErrorContext context, HttpResponse<?> response) {
        ProblemException problem = problem(response.getStatus(), context.getRootCause().orElse(null));
        return Problems.body(context.getRequest(), problem.status(), problem.code(), problem.title(), problem.detail());
    }

    /** The framework's error as a problem: its status, a stable type, and a detail that quotes no request content. */
    static ProblemException problem(HttpStatus status, Throwable cause) {
        // The framework's status and its reason phrase as the title, whatever the type's usual ones.
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return problem(status, ProblemType.JSON_TOO_COMPLEX, ProblemType.JSON_TOO_COMPLEX.defaultDetail());
            }
            if (t instanceof ContentLengthExceededException) {
                return problem(status, ProblemType.REQUEST_TOO_LARGE, ProblemType.REQUEST_TOO_LARGE.defaultDetail());
            }
            if (t instanceof JsonSyntaxException || t instanceof JsonProcessingException) {
                return problem(status, ProblemType.MALFORMED_JSON, JsonErrors.detail(t, ProblemType.MALFORMED_JSON.defaultDetail()));
            }
            if (t == t.getCause()) {
                break;
            }
        }
        ProblemType type = switch (status) {
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ProblemType.METHOD_NOT_ALLOWED;
            case UNSUPPORTED_MEDIA_TYPE -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case NOT_ACCEPTABLE -> ProblemType.NOT_ACCEPTABLE;
            case REQUEST_ENTITY_TOO_LARGE -> ProblemType.REQUEST_TOO_LARGE;
            case UNAUTHORIZED -> ProblemType.UNAUTHORIZED;
            case FORBIDDEN -> ProblemType.FORBIDDEN;
            case BAD_REQUEST -> ProblemType.INVALID_REQUEST;
            default -> ProblemType.INTERNAL_ERROR;
        };
        return problem(status, type, FRAMEWORK_DETAILS.getOrDefault(type,
                status.getCode() >= 500 ? "Internal error." : status.getReason()));
    }

    private static ProblemException problem(HttpStatus status, ProblemType type, String detail) {
        return new ProblemException(type, status, status.getReason(), detail, Map.of(), null);
    }

    @Override
    public String contentType() {
        return Problems.PROBLEM_JSON.toString();
    }
}
