package io.identitybroker.oauth;

import io.identitybroker.agent.AgentAuthenticationException;
import io.identitybroker.agent.AgentAuthenticator;
import io.identitybroker.agent.AgentPrincipal;
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
 * cached per token like every admin capability), or an agent authenticated by {@code tls_client_auth}
 * ({@code client_id} + its bound certificate, the token endpoint's checks), which sees only its own
 * tenant's tokens as active. The route is anonymous at the framework level
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
    private final AgentAuthenticator authenticator;

    public IntrospectionController(IntrospectionService introspection, AdminAuthorizer authorizer,
                                   ClientAuthenticationFailures failures, AgentAuthenticator authenticator) {
        this.introspection = introspection;
        this.authorizer = authorizer;
        this.failures = failures;
        this.authenticator = authenticator;
    }

    @Post(value = "/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> introspect(HttpRequest<?> request, @Nullable @Body String body) {
        RequestContext ctx = RequestContext.of(request);
        FormParameters form;
        try {
            form = FormParameters.parse(body);
        } catch (IllegalArgumentException e) {
            return OAuthErrors.response(HttpStatus.BAD_REQUEST, "invalid_request", "The form body is malformed or repeats a parameter.");
        }
        Caller caller;
        try {
            caller = authenticate(request, form, ctx);
        } catch (Denied d) {
            return d.response;
        }
        Optional<String> token = form.get("token");
        if (token.isEmpty()) {
            return OAuthErrors.response(HttpStatus.BAD_REQUEST, "invalid_request", "The token parameter is required.");
        }
        return OAuthErrors.noStore(HttpResponse.ok(introspection.introspect(token.get(), caller.tenant())));
    }

    /** Who may introspect: a tenant for an agent, null (every tenant) for a Vault-token holder. */
    private record Caller(@Nullable String tenant) {
    }

    /** A refusal, already audited. */
    private static final class Denied extends RuntimeException {
        private final transient MutableHttpResponse<?> response;

        Denied(MutableHttpResponse<?> response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /**
     * A Vault token ({@code Authorization: Bearer} or {@code X-Vault-Token}), or, with
     * {@code client_id}, tls_client_auth as an agent, which then sees only its own tenant's tokens.
     */
    private Caller authenticate(HttpRequest<?> request, FormParameters form, RequestContext ctx) {
        boolean sentToken = request.getHeaders().contains(HttpHeaders.AUTHORIZATION) || request.getHeaders().contains("X-Vault-Token");
        Optional<String> clientId = form.get("client_id");
        if (clientId.isPresent()) {
            if (sentToken || TokenController.OTHER_METHOD_PARAMETERS.stream().anyMatch(p -> form.get(p).isPresent())) {
                failures.record(ctx, ENDPOINT, "multiple_client_authentication_methods", null, null);
                throw new Denied(OAuthErrors.response(HttpStatus.BAD_REQUEST, "invalid_request",
                        "Use exactly one client authentication method: a Vault token, or tls_client_auth with client_id."));
            }
            try {
                AgentPrincipal agent = authenticator.authenticateTlsClient(request, clientId.get());
                return new Caller(agent.tenant().id());
            } catch (AgentAuthenticationException e) {
                failures.record(e.agentId() == null ? ctx : ctx.as("agent:" + e.agentId()), ENDPOINT, e);
                throw new Denied(OAuthErrors.response(HttpStatus.UNAUTHORIZED, "invalid_client",
                        "Client authentication failed (tls_client_auth): " + e.detail()));
            }
        }
        if (request.getUserPrincipal().isEmpty()) {
            String reason = sentToken ? "invalid_vault_token" : "no_credentials";
            failures.record(ctx, ENDPOINT, reason, null, null);
            throw new Denied(OAuthErrors.response(HttpStatus.UNAUTHORIZED, "invalid_client",
                    "Authenticate with a Vault token that may read " + INTROSPECT_PATH
                            + ", or as an agent with tls_client_auth and client_id.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"identity-broker\""));
        }
        if (!authorizer.can(AdminTokens.of(request), INTROSPECT_PATH, "read")) {
            failures.record(ctx, ENDPOINT, "insufficient_capability", null, null);
            throw new Denied(OAuthErrors.response(HttpStatus.FORBIDDEN, "unauthorized_client",
                    "Your Vault policies do not grant read on " + INTROSPECT_PATH + "."));
        }
        return new Caller(null);
    }
}
