package io.identitybroker.oauth;

import io.identitybroker.api.RequestContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * {@code POST /oauth2/introspect} (RFC 7662). The caller is a resource server authenticated by
 * a Vault token with {@code read} on {@code identity-broker/introspect} (checked through Vault,
 * cached per token like every admin capability), or an agent authenticated by {@code tls_client_auth}
 * ({@code client_id} + its bound certificate, the token endpoint's checks), which sees only its own
 * tenant's tokens as active ({@link ClientAuthentication}). The route is anonymous at the framework
 * level so that failures answer in OAuth's error format ({@link OAuthErrorHandler}) and are audited.
 */
@Controller("/oauth2")
@Secured(SecurityRule.IS_ANONYMOUS)
public class IntrospectionController {
    private final IntrospectionService introspection;
    private final ClientAuthentication authentication;

    public IntrospectionController(IntrospectionService introspection, ClientAuthentication authentication) {
        this.introspection = introspection;
        this.authentication = authentication;
    }

    @Post(value = "/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> introspect(HttpRequest<?> request, @Nullable @Body String body) {
        RequestContext ctx = RequestContext.of(request);
        FormParameters form = FormParameters.parseOrRefuse(body);
        ClientAuthentication.Introspector caller = authentication.introspector(request, form, ctx);
        String token = form.get("token").orElseThrow(() ->
                new OAuthException(OAuthErrorCode.INVALID_REQUEST, "The token parameter is required."));
        return OAuthErrorHandler.noStore(HttpResponse.ok(introspection.introspect(token, caller.tenant())));
    }
}
