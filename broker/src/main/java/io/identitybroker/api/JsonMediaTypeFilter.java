package io.identitybroker.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;

/**
 * Every body sent to {@code /api} is {@code application/json} in UTF-8; anything else is a 415
 * problem ({@code unsupported_media_type}) before routing, so that no decoder meets an unknown
 * charset. Runs before the other filters, so it stamps the correlation id itself.
 */
@ServerFilter("/api/**")
public class JsonMediaTypeFilter {
    public static final String DETAIL = "Send the body as application/json in UTF-8.";

    @RequestFilter
    @PreMatching
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (!BodyMediaType.isUnsupported(request, MediaType.APPLICATION_JSON)) {
            return null;
        }
        return Problems.response(request, new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, DETAIL))
                .header(CorrelationId.HEADER, CorrelationId.of(request));
    }
}
