package io.identitybroker.oauth;

import io.identitybroker.api.BodyMediaType;
import io.identitybroker.api.CorrelationId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;

/**
 * Every body sent to the token and introspection endpoints is
 * {@code application/x-www-form-urlencoded} in UTF-8 (RFC 6749 §3.2, RFC 7662 §2.1); anything
 * else is 415 {@code invalid_request} in RFC 6749 JSON ({@link OAuthErrorHandler}), before
 * routing, so that no decoder meets an unknown charset. A body sent to the other routes (which
 * take none) is left to routing: 405 there.
 */
@ServerFilter("/oauth2/**")
public class FormMediaTypeFilter {
    @RequestFilter
    @PreMatching
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (!OAuthErrorHandler.isFormRoute(request) || !BodyMediaType.isUnsupported(request, MediaType.APPLICATION_FORM_URLENCODED)) {
            return null;
        }
        return OAuthErrorHandler.render(OAuthError.of(OAuthErrorCode.INVALID_REQUEST, OAuthErrorHandler.SEND_FORM)
                        .withStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE))
                .header(CorrelationId.HEADER, CorrelationId.of(request));
    }
}
