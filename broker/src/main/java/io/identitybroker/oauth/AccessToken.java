package io.identitybroker.oauth;

import java.time.Instant;
import java.util.List;

/**
 * The claims of an access token whose signature, type, issuer, times and audience were verified.
 *
 * @param x5tS256 the {@code cnf.x5t#S256} thumbprint the token is bound to
 * @param kid     the key that signed it
 */
public record AccessToken(String issuer, String subject, String clientId, String tenant, String scope,
                          List<String> audiences, Instant issuedAt, Instant expiresAt, Instant notBefore,
                          String jwtId, String x5tS256, String kid) {
}
