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

    @Override
    public Map<String, Object> body(ErrorContext context, HttpResponse<?> response) {
        ProblemException problem = problem(response.getStatus(), context.getRootCause().orElse(null));
        return Problems.body(context.getRequest(), problem.status(), problem.code(), problem.title(), problem.detail());
    }

    /** The framework's error as a problem: its status, a stable type, and a detail that quotes no request content. */
    static ProblemException problem(HttpStatus status, Throwable cause) {
        String[] codeAndDetail = classify(status, cause);
        return new ProblemException(status, codeAndDetail[0], status.getReason(), codeAndDetail[1]);
    }

    @Override
    public String contentType() {
        return Problems.PROBLEM_JSON.toString();
    }

    private static String[] classify(HttpStatus status, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return new String[]{"json_too_complex", "The JSON body exceeds the nesting or size limits."};
            }
            if (t instanceof ContentLengthExceededException) {
                return new String[]{"request_too_large", "The request body is larger than allowed."};
            }
            if (t instanceof JsonSyntaxException || t instanceof JsonProcessingException) {
                return new String[]{"malformed_json", JsonErrors.detail(t, "The request body is not valid JSON for this endpoint.")};
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return switch (status) {
            case NOT_FOUND -> new String[]{"not_found", "No such resource."};
            case METHOD_NOT_ALLOWED -> new String[]{"method_not_allowed", "Method not allowed on this resource."};
            case UNSUPPORTED_MEDIA_TYPE -> new String[]{"unsupported_media_type", "Send application/json."};
            case NOT_ACCEPTABLE -> new String[]{"not_acceptable", "This resource answers in JSON."};
            case REQUEST_ENTITY_TOO_LARGE -> new String[]{"request_too_large", "The request body is larger than allowed."};
            case UNAUTHORIZED -> new String[]{"unauthorized", "Authentication is required."};
            case FORBIDDEN -> new String[]{"forbidden", "Not allowed."};
            case BAD_REQUEST -> new String[]{"invalid_request", "The request is malformed or misses a required part."};
            default -> new String[]{"internal_error", status.getCode() >= 500 ? "Internal error." : status.getReason()};
        };
    }
}
