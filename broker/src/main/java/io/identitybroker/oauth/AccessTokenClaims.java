package io.identitybroker.oauth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claims of an access token the broker issues (RFC 9068 profile, bound per RFC 8705).
 *
 * @param subject  the agent's SPIFFE ID
 * @param clientId the agent id (the OAuth2 client)
 * @param scope    space-separated granted scopes
 * @param x5tS256  thumbprint of the certificate the client authenticated with; null for an unbound
 *                 bearer token (spiffe_jwt without mTLS), which then has no {@code cnf}
 */
public record AccessTokenClaims(String issuer, String subject, String clientId, String tenant, String scope,
                                String audience, Instant issuedAt, Instant expiresAt, String jwtId, String x5tS256) {
    /** The JOSE {@code typ} of RFC 9068 access tokens. */
    public static final String TYPE = "at+jwt";

    /** The JWT claims set, in a stable order. */
    public Map<String, Object> toJson() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("client_id", clientId);
        claims.put("tenant", tenant);
        claims.put("scope", scope);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", jwtId);
        if (x5tS256 != null) {
            claims.put("cnf", Map.of("x5t#S256", x5tS256));
        }
        return claims;
    }
}
