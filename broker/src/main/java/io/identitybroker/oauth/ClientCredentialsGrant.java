package io.identitybroker.oauth;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code client_credentials} grant (RFC 6749 §4.4) for a client already authenticated by
 * its certificate: checks the request's parameters and scope, then issues a token bound to the
 * certificate the client authenticated with. Client authentication itself is the caller's job
 * ({@link ClientAuthentication}), so this class never sees an unauthenticated request. Refusals
 * are {@link OAuthException}s.
 */
@Singleton
public class ClientCredentialsGrant {
    static final String GRANT_TYPE = "client_credentials";

    private final AccessTokenIssuer issuer;

    /**
     * A client that passed {@code tls_client_auth}, {@code spiffe_x509} or {@code spiffe_jwt}.
     *
     * @param allowedScopes       the scopes its enrollment token (or registration) gave it
     * @param x5tS256             thumbprint of the certificate it presented; null for spiffe_jwt without mTLS
     * @param certificateNotAfter the token will not outlive that certificate; null when unbound
     */
    public record AuthenticatedClient(String tenant, String clientId, String spiffeId, List<String> allowedScopes,
                                      String x5tS256, Instant certificateNotAfter) {
    }

    public ClientCredentialsGrant(AccessTokenIssuer issuer) {
        this.issuer = issuer;
    }

    /**
     * Checks what needs no client authentication: the grant type and the client id's presence.
     *
     * @return the client id to authenticate
     */
    static String requestedClientId(FormParameters form) {
        Optional<String> grantType = form.get("grant_type");
        if (grantType.isEmpty()) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "grant_type is required.");
        }
        if (!GRANT_TYPE.equals(grantType.get())) {
            throw new OAuthException(OAuthErrorCode.UNSUPPORTED_GRANT_TYPE, "Only client_credentials is supported.");
        }
        // RFC 8705 §2: with tls_client_auth the client names itself; there is no secret to name it by.
        return form.get("client_id").orElseThrow(() ->
                new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_id is required."));
    }

    /** Issues the token for an authenticated client, after the scope check. */
    public AccessTokenIssuer.Issued grant(FormParameters form, AuthenticatedClient client) {
        String scope;
        try {
            scope = Scopes.grant(form.get("scope").orElse(null), client.allowedScopes());
        } catch (Scopes.InvalidScope e) {
            throw new OAuthException(OAuthErrorCode.INVALID_SCOPE, e.getMessage());
        }
        return issuer.issue(new AccessTokenIssuer.Grant(client.tenant(), client.clientId(), client.spiffeId(), scope,
                client.x5tS256(), client.certificateNotAfter()));
    }
}
