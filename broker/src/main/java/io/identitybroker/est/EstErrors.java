package io.identitybroker.est;

import io.identitybroker.api.DatabaseFailures;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.exceptions.HttpStatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every EST refusal, rendered in one place as RFC 7030 §4.2.3 asks: the status code and a
 * human-readable {@code text/plain} body ({@code <code>: <why>}, the code being the broker's stable
 * problem type), never problem+json, which stock EST clients do not read. The status is the one
 * the JSON API uses for the same failure, except that a rotation conflict (409 there: the
 * certificate is no longer the agent's current one) is 403 here, RFC 7030 naming 401 and 403 as the
 * answers to a client that may not (re-)enroll. {@code Retry-After} stays on every 503; a 401
 * asks for HTTP Basic credentials ({@code WWW-Authenticate}).
 */
final class EstErrors {
    static final MediaType TEXT = MediaType.of("text/plain; charset=utf-8");
    private static final Logger LOG = LoggerFactory.getLogger(EstErrors.class);
    private static final String REALM = "Basic realm=\"identity-broker-est\", charset=\"UTF-8\"";

    private EstErrors() {
    }

    static MutableHttpResponse<String> response(ProblemException e) {
        HttpStatus status = e.status() == HttpStatus.CONFLICT ? HttpStatus.FORBIDDEN : e.status();
        MutableHttpResponse<String> response = text(status, e.type(), estWording(e));
        e.headers().forEach(response::header);
        if (status == HttpStatus.UNAUTHORIZED && !e.headers().containsKey("WWW-Authenticate")) {
            response.header("WWW-Authenticate", REALM);
        }
        return response;
    }

    /** Anything that is not a {@link ProblemException}: a lost database (503, retry) or a 500 that reveals nothing. */
    static MutableHttpResponse<String> unexpected(RuntimeException e, String correlationId) {
        if (e instanceof HttpStatusException status) {
            // The framework's own refusals (unsupported Content-Type or Accept, for instance) keep their status.
            return text(status.getStatus(), ProblemType.INVALID_REQUEST, status.getMessage());
        }
        if (e instanceof ContentLengthExceededException) {
            return text(HttpStatus.REQUEST_ENTITY_TOO_LARGE, ProblemType.REQUEST_TOO_LARGE,
                    "The request body exceeds the broker's 64 KiB limit.");
        }
        if (DatabaseFailures.isConnectionLost(e)) {
            LOG.warn("Database unavailable on an EST request ({})", e.getClass().getSimpleName());
            return text(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.DATABASE_UNAVAILABLE,
                    "The broker's database is unreachable; nothing was changed. Try again later.")
                    .header("Retry-After", "5");
        }
        LOG.error("Unhandled error on an EST request", e);
        return text(HttpStatus.INTERNAL_SERVER_ERROR, ProblemType.INTERNAL_ERROR,
                "The request failed; correlation id " + correlationId + " identifies it in the broker's logs.");
    }

    static MutableHttpResponse<String> notFound(String why) {
        return text(HttpStatus.NOT_FOUND, ProblemType.EST_LABEL_UNKNOWN, why);
    }

    static MutableHttpResponse<String> text(HttpStatus status, ProblemType type, String why) {
        return HttpResponse.<String>status(status).contentType(TEXT).header("Cache-Control", "no-store")
                .body(type.code() + ": " + why + "\n");
    }

    /** The CSR policy speaks of the JSON API's PEM field; an EST client sent a base64 DER body. */
    private static String estWording(ProblemException e) {
        if (e.type() == ProblemType.CSR_MALFORMED && e.detail() != null && e.detail().contains("PEM")) {
            return "The body must be one base64-encoded DER PKCS#10 certification request (application/pkcs10).";
        }
        return e.detail();
    }
}
