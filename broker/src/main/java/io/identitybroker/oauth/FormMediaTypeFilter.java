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
 * Every body sent to {@code /oauth2} is {@code application/x-www-form-urlencoded} in UTF-8 (RFC 6749
 * §3.2, RFC 7662 §2.1); anything else is 415 in RFC 6749 JSON ({@code invalid_request}, with
 * {@code Cache-Control: no-store}), before routing, so OAuth clients never meet problem+json.
 */
@ServerFilter("/oauth2/**")
public class FormMediaTypeFilter {
    @RequestFilter
    @PreMatching
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (!BodyMediaType.isUnsupported(request, MediaType.APPLICATION_FORM_URLENCODED)) {
            return null;
        }
        return OAuthErrors.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request",
                        "Unsupported content type: send application/x-www-form-urlencoded in UTF-8.")
                .header(CorrelationId.HEADER, CorrelationId.of(request));
    }
}
