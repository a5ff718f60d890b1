package io.identitybroker.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Database trouble as clients should see it: an unavailable database (unreachable, shutting
 * down, or unable to write) is a 503 with
 * {@code Retry-After} (the request changed nothing, it can be retried); anything else is a 500
 * that reveals no SQL; both in the format of the route's protocol ({@link ErrorResponses}).
 * The database is always reached before Vault, so nothing was signed.
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public class DatabaseUnavailableHandler implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    private final ErrorResponses errors;

    public DatabaseUnavailableHandler(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
        if (DatabaseFailures.isConnectionLost(exception)) {
            LOG.warn("Database unavailable: {}", rootMessage(exception));
            return errors.render(request, new ProblemException(ProblemType.DATABASE_UNAVAILABLE,
                    "The broker's database is unavailable; nothing was changed. Try again later.",
                    Map.of("Retry-After", "5"), null));
        }
        LOG.error("Unhandled error on {} {}", request.getMethodName(), request.getPath(), exception);
        return errors.render(request, new ProblemException(ProblemType.INTERNAL_ERROR,
                "The request failed; the correlation id identifies it in the logs."));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
