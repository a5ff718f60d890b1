package io.identitybroker.oauth;

import io.identitybroker.agent.Agent;
import io.identitybroker.agent.CertificateBinding;
import io.identitybroker.api.RequestContext;
import io.identitybroker.agent.AgentAuthenticationException;
import io.identitybroker.agent.AgentAuthenticator;
import io.identitybroker.agent.AgentPrincipal;
import io.identitybroker.mtls.ClientCertificates;
import io.identitybroker.security.AdminAuthorizer;
import io.identitybroker.security.AdminTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one client-authentication step of the OAuth endpoints (after Spring Authorization Server's
 * {@code OAuth2ClientAuthenticationFilter}): it finds the method a request uses, authenticates the
 * caller by it, and on every failure audits {@code oauth.client_authentication.failed} (the
 * refusal code as reason) and throws the endpoint's {@link OAuthException}
 * ({@link ClientAuthenticationFailures#refuse}). The token endpoint accepts {@code tls_client_auth}
 * (agents) and {@code spiffe_x509} / {@code spiffe_jwt} (external clients, {@link SpiffeClientMethods});
 * introspection accepts a Vault token with {@code read} on {@value #INTROSPECT_PATH}, or
 * {@code tls_client_auth} (an agent, which sees only its own tenant's tokens). Credentials of a
 * second method in the same request are {@code invalid_request} (RFC 6749 §2.3).
 */
@Singleton
class ClientAuthentication {
    /** The virtual Vault path whose {@code read} capability allows introspection. */
    static final String INTROSPECT_PATH = "identity-broker/introspect";
    /** The endpoint names of the audit events. */
    static final String TOKEN = "token";
    static final String INTROSPECTION = "introspection";
    /** Parameters of the client authentication methods other than tls_client_auth (RFC 6749 §2.3.1, RFC 7521 §4.2). */
    static final List<String> OTHER_METHOD_PARAMETERS = List.of("client_secret", "client_assertion", "client_assertion_type");
    private static final String MULTIPLE = "multiple_client_authentication_methods";

    private final AgentAuthenticator authenticator;
    private final ClientCertificates certificates;
    private final SpiffeClientMethods spiffe;
    private final AdminAuthorizer authorizer;
    private final ClientAuthenticationFailures failures;

    ClientAuthentication(AgentAuthenticator authenticator, ClientCertificates certificates, SpiffeClientMethods spiffe,
                         AdminAuthorizer authorizer, ClientAuthenticationFailures failures) {
        this.authenticator = authenticator;
        this.certificates = certificates;
        this.spiffe = spiffe;
        this.authorizer = authorizer;
        this.failures = failures;
    }

    /** A client the token endpoint authenticated; {@code certificateBound} only for external clients. */
    record TokenClient(ClientCredentialsGrant.AuthenticatedClient client, Optional<Boolean> certificateBound) {
    }

    /** Who may introspect: a tenant for an agent, null (every tenant) for a Vault-token holder. */
    record Introspector(@Nullable String tenant) {
    }

    /**
     * The caller of the token endpoint: an external client by a SPIFFE method, else an agent by
     * tls_client_auth and nothing else (a request using only another method is {@code invalid_client}).
     */
    TokenClient tokenClient(HttpRequest<?> request, FormParameters form, String clientId, RequestContext ctx) {
        Optional<SpiffeClientMethods.Authenticated> external = spiffe.authenticate(request, form, clientId, ctx);
        if (external.isPresent()) {
            return new TokenClient(external.get().client(), Optional.of(external.get().certificateBound()));
        }
        boolean otherMethod = request.getHeaders().contains(HttpHeaders.AUTHORIZATION) || otherMethodParameters(form);
        if (otherMethod) {
            boolean certificate = !certificates.presented(request).isEmpty();
            throw certificate
                    ? failures.refuse(ctx, TOKEN, MULTIPLE, null, null, null, OAuthError.of(OAuthErrorCode.INVALID_REQUEST,
                    "Use exactly one client authentication method: tls_client_auth, without an Authorization header or client secret."))
                    : failures.refuse(ctx, TOKEN, "unsupported_client_authentication_method", null, null, null,
                    OAuthError.of(OAuthErrorCode.INVALID_CLIENT, "Agents authenticate with tls_client_auth; external clients with "
                            + String.join(" or ", spiffe.methodNames()) + "."));
        }
        return new TokenClient(agentClient(tlsClientAuth(TOKEN, request, clientId, ctx)), Optional.empty());
    }

    /**
     * The caller of the introspection endpoint: with {@code client_id}, an agent by tls_client_auth;
     * else a Vault token ({@code Authorization: Bearer} or {@code X-Vault-Token}) that may read
     * {@value #INTROSPECT_PATH}. Vault unable to answer propagates (503, fail closed).
     */
    Introspector introspector(HttpRequest<?> request, FormParameters form, RequestContext ctx) {
        boolean sentToken = request.getHeaders().contains(HttpHeaders.AUTHORIZATION) || request.getHeaders().contains("X-Vault-Token");
        Optional<String> clientId = form.get("client_id");
        if (clientId.isPresent()) {
            if (sentToken || otherMethodParameters(form)) {
                throw failures.refuse(ctx, INTROSPECTION, MULTIPLE, null, null, null, OAuthError.of(OAuthErrorCode.INVALID_REQUEST,
                        "Use exactly one client authentication method: a Vault token, or tls_client_auth with client_id."));
            }
            return new Introspector(tlsClientAuth(INTROSPECTION, request, clientId.get(), ctx).tenant().id());
        }
        if (request.getUserPrincipal().isEmpty()) {
            throw failures.refuse(ctx, INTROSPECTION, sentToken ? "invalid_vault_token" : "no_credentials", null, null, null,
                    OAuthError.of(OAuthErrorCode.INVALID_CLIENT, "Authenticate with a Vault token that may read " + INTROSPECT_PATH
                                    + ", or as an agent with tls_client_auth and client_id.")
                            .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"identity-broker\""));
        }
        if (!authorizer.can(AdminTokens.of(request), INTROSPECT_PATH, "read")) {
            throw failures.refuse(ctx, INTROSPECTION, "insufficient_capability", null, null, null,
                    OAuthError.of(OAuthErrorCode.UNAUTHORIZED_CLIENT, "Your Vault policies do not grant read on " + INTROSPECT_PATH + ".")
                            .withStatus(HttpStatus.FORBIDDEN));
        }
        return new Introspector(null);
    }

    /** tls_client_auth (RFC 8705 §2.1): the agent-route mTLS checks for the agent named by {@code client_id}. */
    private AgentPrincipal tlsClientAuth(String endpoint, HttpRequest<?> request, String clientId, RequestContext ctx) {
        try {
            return authenticator.authenticateTlsClient(request, clientId);
        } catch (AgentAuthenticationException e) {
            throw failures.refuse(e.agentId() == null ? ctx : ctx.as("agent:" + e.agentId()), endpoint, e.code(), e.tenantId(),
                    e.agentId(), e.presentedX5t(), OAuthError.of(OAuthErrorCode.INVALID_CLIENT,
                            "Client authentication failed (tls_client_auth): " + e.detail()));
        }
    }

    private static boolean otherMethodParameters(FormParameters form) {
        return OTHER_METHOD_PARAMETERS.stream().anyMatch(p -> form.get(p).isPresent());
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
}
