package io.identitybroker.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;

/**
 * The error format of a protocol whose routes do not answer problem+json (OAuth's RFC 6749 JSON).
 * Every error path of the broker (its own problems, the framework's errors, a lost database, an
 * unexpected failure) first classifies the failure as a {@link ProblemException};
 * {@link ErrorResponses} then lets the format covering the request render it, so that a
 * protocol's clients never meet another format. A format echoes no client text.
 */
public interface ErrorFormat {
    /** True when the request's route belongs to this format's protocol. */
    boolean covers(HttpRequest<?> request);

    /** The answer for {@code problem} in this format: its status, headers and body. */
    MutableHttpResponse<?> render(HttpRequest<?> request, ProblemException problem);
}
