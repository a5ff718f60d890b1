package io.identitybroker.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * Renders a failure in the format of the request's protocol: the {@link ErrorFormat} that covers
 * the route, else RFC 9457 problem+json. Every error handler goes through here (the {@code /api}
 * media-type filter, which answers before routing and only on {@code /api}, renders problem+json itself).
 */
@Singleton
public class ErrorResponses {
    private final List<ErrorFormat> formats;

    public ErrorResponses(List<ErrorFormat> formats) {
        this.formats = List.copyOf(formats);
    }

    public MutableHttpResponse<?> render(HttpRequest<?> request, ProblemException problem) {
        Optional<ErrorFormat> format = formatOf(request);
        return format.isPresent() ? format.get().render(request, problem) : Problems.response(request, problem);
    }

    /** The format covering the request, empty for problem+json. */
    public Optional<ErrorFormat> formatOf(HttpRequest<?> request) {
        return request == null ? Optional.empty() : formats.stream().filter(f -> f.covers(request)).findFirst();
    }
}
