package io.identitybroker.oauth;

import io.identitybroker.agent.Agent;
import io.identitybroker.agent.AgentAuthenticationException;
import io.identitybroker.agent.AgentAuthenticator;
import io.identitybroker.agent.AgentPrincipal;
import io.identitybroker.agent.CertificateBinding;
import io.identitybroker.api.RequestContext;
import io.identitybroker.mtls.ClientCertificates;
import io.identitybroker.vault.VaultUnavailableException;
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

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth2/token}: the {@code client_credentials} grant with RFC 8705 §2.1
 * {@code tls_client_auth}. The client is the agent named by {@code client_id}; it authenticates
 * with its certificate alone, through the agent-route mTLS checks
 * ({@link AgentAuthenticator#authenticateTlsClient}), on every request. External clients (foreign
 * SPIFFE IDs) use {@code spiffe_x509} or {@code spiffe_jwt} instead ({@link SpiffeClientMethods});
 * their responses say whether the token is certificate-bound ({@code certificate_bound}). Errors are RFC 6749 §5.2
 * JSON; every client-authentication failure is audited ({@code oauth.client_authentication.failed})
 * with the refusal code as reason; issued tokens are counted in metrics, never logged or audited.
 */
@Controller("/oauth2")
@Secured(SecurityRule.IS_ANONYMOUS)
public class TokenController {
    static final String ENDPOINT = "token";
    /** Parameters of the client authentication methods other than tls_client_auth (RFC 6749 §2.3.1, RFC 7521 §4.2). */
    static final List<String> OTHER_METHOD_PARAMETERS = List.of("client_secret", "client_assertion", "client_assertion_type");

    private final AgentAuthenticator authenticator;
    private final ClientCertificates certificates;
    private final ClientCredentialsGrant grant;
    private final ClientAuthenticationFailures failures;
    private final SpiffeClientMethods spiffe;

    public TokenController(AgentAuthenticator authenticator, ClientCertificates certificates, ClientCredentialsGrant grant,
                           ClientAuthenticationFailures failures, SpiffeClientMethods spiffe) {
        this.spiffe = spiffe;
        this.authenticator = authenticator;
        this.certificates = certificates;
        this.grant = grant;
        this.failures = failures;
    }

    @Post(value = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> token(HttpRequest<?> request, @Nullable @Body String body) {
        RequestContext ctx = RequestContext.of(request);
        FormParameters form;
        String clientId;
        try {
            form = FormParameters.parse(body);
            clientId = ClientCredentialsGrant.requestedClientId(form);
        } catch (IllegalArgumentException e) {
            return OAuthErrors.response(HttpStatus.BAD_REQUEST, "invalid_request", "The form body is malformed or repeats a parameter.");
        } catch (ClientCredentialsGrant.GrantError e) {
            return OAuthErrors.response(e.status(), e.error(), e.getMessage());
        }

        ClientCredentialsGrant.AuthenticatedClient authenticated;
        Optional<SpiffeClientMethods.Authenticated> external;
        try {
            external = spiffe.authenticate(request, form, clientId, ctx);
            authenticated = external.isPresent() ? external.get().client() : agentClient(authenticateClient(request, form, clientId, ctx));
        } catch (ClientCredentialsGrant.GrantError e) {
            return OAuthErrors.response(e.status(), e.error(), e.getMessage());
        }
        AccessTokenIssuer.Issued issued;
        try {
            issued = grant.grant(form, authenticated);
        } catch (ClientCredentialsGrant.GrantError e) {
            return OAuthErrors.response(e.status(), e.error(), e.getMessage());
        } catch (VaultUnavailableException e) {
            // RFC 6749 names temporarily_unavailable for the authorization endpoint; clients know it.
            return OAuthErrors.response(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", e.detail())
                    .headers(h -> e.headers().forEach(h::add));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", issued.accessToken());
        response.put("token_type", "Bearer");
        response.put("expires_in", issued.expiresIn());
        response.put("scope", issued.scope());
        external.ifPresent(e -> response.put("certificate_bound", e.certificateBound()));
        return OAuthErrors.noStore(HttpResponse.ok(response));
    }

    private static ClientCredentialsGrant.AuthenticatedClient agentClient(AgentPrincipal client) {
        Agent agent = client.agent();
        CertificateBinding binding = client.binding();
        List<String> allowed = Arrays.stream(agent.scopes().split(" ")).filter(s -> !s.isEmpty()).toList();
        // A certificate replaced by rotation is accepted only until its grace ends; so is a token bound to it.
        Instant boundUntil = binding.graceUntil() != null && binding.graceUntil().isBefore(binding.notAfter())
                ? binding.graceUntil() : binding.notAfter();
        return new ClientCredentialsGrant.AuthenticatedClient(client.tenant().id(), agent.id(),
                agent.spiffeId(), allowed, binding.x5tS256(), boundUntil);
    }

    /**
     * tls_client_auth and nothing else: a request that also carries another method's credentials
     * is refused (RFC 6749 §2.3: one method per request), and so is one using only another method.
     */
    private AgentPrincipal authenticateClient(HttpRequest<?> request, FormParameters form, String clientId, RequestContext ctx) {
        boolean otherMethod = request.getHeaders().contains(HttpHeaders.AUTHORIZATION)
                || OTHER_METHOD_PARAMETERS.stream().anyMatch(p -> form.get(p).isPresent());
        if (otherMethod) {
            boolean certificate = !certificates.presented(request).isEmpty();
            String reason = certificate ? "multiple_client_authentication_methods" : "unsupported_client_authentication_method";
            failures.record(ctx, ENDPOINT, reason, null, null);
            throw certificate
                    ? new ClientCredentialsGrant.GrantError(HttpStatus.BAD_REQUEST, "invalid_request",
                    "Use exactly one client authentication method: tls_client_auth, without an Authorization header or client secret.")
                    : new ClientCredentialsGrant.GrantError(HttpStatus.UNAUTHORIZED, "invalid_client",
                    "Agents authenticate with tls_client_auth; external clients with " + String.join(" or ", spiffe.methodNames()) + ".");
        }
        try {
            return authenticator.authenticateTlsClient(request, clientId);
        } catch (AgentAuthenticationException e) {
            failures.record(e.agentId() == null ? ctx : ctx.as("agent:" + e.agentId()), ENDPOINT, e);
            throw new ClientCredentialsGrant.GrantError(HttpStatus.UNAUTHORIZED, "invalid_client",
                    "Client authentication failed (tls_client_auth): " + e.detail());
        }
    }
}
