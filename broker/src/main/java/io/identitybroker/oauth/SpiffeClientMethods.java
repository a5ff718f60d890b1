package io.identitybroker.oauth;

import io.identitybroker.api.RequestContext;
import io.identitybroker.federation.ExternalClient;
import io.identitybroker.federation.ExternalClientService;
import io.identitybroker.federation.ExternalPrincipal;
import io.identitybroker.federation.FederationConfiguration;
import io.identitybroker.federation.SpiffeAuthenticationException;
import io.identitybroker.federation.SpiffeClientAuthenticator;
import io.identitybroker.mtls.ClientCertificates;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The token endpoint's SPIFFE client authentication methods (draft-ietf-oauth-spiffe-client-auth):
 * a request is theirs when it carries {@code client_assertion_type} = the configured JWT-SVID type
 * ({@code spiffe_jwt}), or when its {@code client_id} names an external client ({@code spiffe_x509},
 * the X.509-SVID of the TLS connection). Every other request is left to {@code tls_client_auth}.
 * A second method in the same request is {@code invalid_request}; every authentication failure is
 * the same {@code invalid_client}, its reason audited ({@code oauth.client_authentication.failed}).
 */
@Singleton
class SpiffeClientMethods {
    private final ExternalClientService clients;
    private final SpiffeClientAuthenticator authenticator;
    private final ClientCertificates certificates;
    private final ClientAuthenticationFailures failures;
    private final FederationConfiguration federation;
    private final OAuthConfiguration oauth;

    SpiffeClientMethods(ExternalClientService clients, SpiffeClientAuthenticator authenticator, ClientCertificates certificates,
                        ClientAuthenticationFailures failures, FederationConfiguration federation, OAuthConfiguration oauth) {
        this.clients = clients;
        this.authenticator = authenticator;
        this.certificates = certificates;
        this.failures = failures;
        this.federation = federation;
        this.oauth = oauth;
    }

    /** The names {@code token_endpoint_auth_methods_supported} lists besides tls_client_auth. */
    List<String> methodNames() {
        return List.of(federation.getX509MethodName(), federation.getJwtMethodName());
    }

    /**
     * @return the authenticated client when the request uses a SPIFFE method, empty when it does not
     * @throws OAuthException when it does and fails (audited)
     */
    Optional<Authenticated> authenticate(HttpRequest<?> request, FormParameters form, String clientId, RequestContext ctx) {
        Optional<String> assertionType = form.get("client_assertion_type");
        boolean jwt = assertionType.isPresent() && assertionType.get().equals(federation.getJwtAssertionType());
        Optional<ExternalClient> client = clients.findById(clientId);
        if (!jwt && client.isEmpty()) {
            return Optional.empty();
        }
        String method = jwt ? federation.getJwtMethodName() : federation.getX509MethodName();
        boolean otherMethod = request.getHeaders().contains(HttpHeaders.AUTHORIZATION) || form.get("client_secret").isPresent()
                || (!jwt && (form.get("client_assertion").isPresent() || assertionType.isPresent()));
        if (otherMethod) {
            throw failures.refuse(ctx, ClientAuthentication.TOKEN, "multiple_client_authentication_methods",
                    client.map(ExternalClient::tenantId).orElse(null), client.map(ExternalClient::id).orElse(null), null,
                    OAuthError.of(OAuthErrorCode.INVALID_REQUEST, "Use exactly one client authentication method (" + method + ")."));
        }
        if (client.isEmpty()) {
            throw failures.refuse(ctx, ClientAuthentication.TOKEN, "unknown_client", null, null, null, invalidClient(method));
        }
        List<X509Certificate> chain = certificates.presented(request);
        ExternalPrincipal principal;
        try {
            if (jwt) {
                Optional<String> assertion = form.get("client_assertion");
                if (assertion.isEmpty()) {
                    throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                            "client_assertion is required with this client_assertion_type.");
                }
                principal = authenticator.authenticateJwt(assertion.get(), client.get(), oauth.getIssuer(), chain);
            } else {
                principal = authenticator.authenticateX509(chain, client.get());
            }
        } catch (SpiffeAuthenticationException e) {
            throw failures.refuse(ctx.as("external-client:" + client.get().id()), ClientAuthentication.TOKEN, e.reason(),
                    e.tenantId(), e.clientId(), e.presentedX5t(), invalidClient(method));
        }
        ExternalClient c = principal.client();
        List<String> allowed = Arrays.stream(c.scopes().split(" ")).filter(s -> !s.isEmpty()).toList();
        return Optional.of(new Authenticated(new ClientCredentialsGrant.AuthenticatedClient(c.tenantId(), c.id(),
                principal.spiffeId(), allowed, principal.x5tS256(), principal.boundUntil()), principal.x5tS256() != null));
    }

    /** A SPIFFE-authenticated client and whether its token will be certificate-bound. */
    record Authenticated(ClientCredentialsGrant.AuthenticatedClient client, boolean certificateBound) {
    }

    private static OAuthError invalidClient(String method) {
        return OAuthError.of(OAuthErrorCode.INVALID_CLIENT, "Client authentication failed (" + method + ").");
    }
}
