package io.identitybroker.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.exceptions.response.HtmlErrorResponseBodyProvider;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The framework's errors (unknown route, method not allowed, not acceptable, oversized or
 * unreadable body) in the format of the request's protocol: a route covered by an
 * {@link ErrorFormat} gets that format (with the framework's headers, e.g. {@code Allow}, kept);
 * every other route gets what Micronaut's default processor gives, problem+json through
 * {@link ProblemJsonErrorBodyProvider} (HTML only for a browser that asks for HTML and not JSON).
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProtocolErrorResponseProcessor implements ErrorResponseProcessor<Object> {
    private final ErrorResponses errors;
    private final JsonErrorResponseBodyProvider<?> json;
    private final HtmlErrorResponseBodyProvider html;

    public ProtocolErrorResponseProcessor(ErrorResponses errors, JsonErrorResponseBodyProvider<?> json,
                                          HtmlErrorResponseBodyProvider html) {
        this.errors = errors;
        this.json = json;
        this.html = html;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Object> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        MutableHttpResponse<Object> response = (MutableHttpResponse<Object>) base;
        HttpRequest<?> request = context.getRequest();
        if (request.getMethod() == HttpMethod.HEAD) {
            return response;
        }
        boolean error = base.status().getCode() >= 400;
        Optional<ErrorFormat> format = errors.formatOf(request);
        if (error && format.isPresent()) {
            MutableHttpResponse<?> rendered = format.get().render(request,
                    ProblemJsonErrorBodyProvider.problem(base.status(), context.getRootCause().orElse(null)));
            response.status(rendered.status());
            rendered.getHeaders().forEach((name, values) -> response.getHeaders().remove(name));
            rendered.getHeaders().forEach((name, values) -> values.forEach(v -> response.header(name, v)));
            return response.body(rendered.body());
        }
        if (error && request.accept().stream().anyMatch(MediaType.TEXT_HTML_TYPE::equals)
                && request.accept().stream().noneMatch(t -> t.matchesExtension("json"))) {
            return response.body((Object) html.body(context, base)).contentType(html.contentType());
        }
        return response.body((Object) json.body(context, base)).contentType(json.contentType());
    }
}
