package io.identitybroker.oauth;

import io.identitybroker.api.RequestContext;
import io.identitybroker.security.AdminAuthorizer;
import io.identitybroker.security.AdminTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Optional;

/**
 * {@code POST /oauth2/introspect} (RFC 7662). The caller is a resource server authenticated by
 * a Vault token with {@code read} on {@code identity-broker/introspect} (checked through Vault,
 * cached per token like every admin capability). The route is anonymous at the framework level
 * so that failures answer in OAuth's error format and are audited.
 */
@Controller("/oauth2")
@Secured(SecurityRule.IS_ANONYMOUS)
public class IntrospectionController {
    /** The virtual Vault path whose {@code read} capability allows introspection. */
    public static final String INTROSPECT_PATH = "identity-broker/introspect";
    static final String ENDPOINT = "introspection";

    private final IntrospectionService introspection;
    private final AdminAuthorizer authorizer;
    private final ClientAuthenticationFailures failures;

    public IntrospectionController(IntrospectionService introspection, AdminAuthorizer authorizer,
                                   ClientAuthenticationFailures failures) {
        this.introspection = introspection;
        this.authorizer = authorizer;
        this.failures = failures;
    }

    @Post(value = "/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> introspect(HttpRequest<?> request, @Nullable @Body String body) {
        RequestContext ctx = RequestContext.of(request);
        Optional<MutableHttpResponse<?>> denied = authenticate(request, ctx);
        if (denied.isPresent()) {
            return denied.get();
        }
        FormParameters form;
        try {
            form = FormParameters.parse(body);
        } catch (IllegalArgumentException e) {
            return OAuthErrors.response(HttpStatus.BAD_REQUEST, "invalid_request", "The form body is malformed or repeats a parameter.");
        }
        Optional<String> token = form.get("token");
        if (token.isEmpty()) {
            return OAuthErrors.response(HttpStatus.BAD_REQUEST, "invalid_request", "The token parameter is required.");
        }
        return OAuthErrors.noStore(HttpResponse.ok(introspection.introspect(token.get())));
    }

    /** Empty when the caller may introspect; else the error response (already audited). */
    private Optional<MutableHttpResponse<?>> authenticate(HttpRequest<?> request, RequestContext ctx) {
        if (request.getUserPrincipal().isEmpty()) {
            boolean sentToken = request.getHeaders().contains(HttpHeaders.AUTHORIZATION) || request.getHeaders().contains("X-Vault-Token");
            String reason = sentToken ? "invalid_vault_token" : "no_credentials";
            failures.record(ctx, ENDPOINT, reason, null, null);
            return Optional.of(OAuthErrors.response(HttpStatus.UNAUTHORIZED, "invalid_client",
                    "Authenticate with a Vault token that may read " + INTROSPECT_PATH + ".")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"identity-broker\""));
        }
        if (!authorizer.can(AdminTokens.of(request), INTROSPECT_PATH, "read")) {
            failures.record(ctx, ENDPOINT, "insufficient_capability", null, null);
            return Optional.of(OAuthErrors.response(HttpStatus.FORBIDDEN, "unauthorized_client",
                    "Your Vault policies do not grant read on " + INTROSPECT_PATH + "."));
        }
        return Optional.empty();
    }
}
