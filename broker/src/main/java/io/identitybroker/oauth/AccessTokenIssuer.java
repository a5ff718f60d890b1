package io.identitybroker.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Mints access tokens for authenticated clients. Each issuance is counted in metrics
 * ({@code broker.oauth.tokens.issued}, tagged by tenant), not audited one by one: at token rates
 * the audit chain would be mostly noise, and nothing changes state.
 */
@Singleton
public class AccessTokenIssuer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenSigner signer;
    private final OAuthConfiguration properties;
    private final Clock clock;
    private final MeterRegistry metrics;

    /**
     * Who the token is for, after client authentication and the scope check.
     *
     * @param spiffeId          the subject
     * @param x5tS256           thumbprint of the certificate the client authenticated with; null: unbound
     * @param certificateExpiry the token never outlives the certificate it is bound to; null when unbound
     */
    public record Grant(String tenant, String clientId, String spiffeId, String scope, String x5tS256,
                        Instant certificateExpiry) {
    }

    /** A signed token and what the token response reports about it. */
    public record Issued(String accessToken, long expiresIn, String scope, AccessTokenClaims claims) {
    }

    public AccessTokenIssuer(TokenSigner signer, OAuthConfiguration properties, Clock clock, MeterRegistry metrics) {
        this.signer = signer;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Issued issue(Grant grant) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant exp = now.plus(properties.getAccessTokenTtl());
        if (grant.certificateExpiry() != null && grant.certificateExpiry().isBefore(exp)) {
            exp = grant.certificateExpiry().truncatedTo(ChronoUnit.SECONDS);
        }
        AccessTokenClaims claims = new AccessTokenClaims(properties.getIssuer(), grant.spiffeId(), grant.clientId(),
                grant.tenant(), grant.scope(), properties.audienceFor(grant.tenant()), now, exp,
                UUID.randomUUID().toString(), grant.x5tS256());
        String jwt;
        try {
            jwt = signer.sign(AccessTokenClaims.TYPE, JSON.writeValueAsBytes(claims.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Counter.builder("broker.oauth.tokens.issued").description("access tokens issued")
                .tag("tenant", grant.tenant()).register(metrics).increment();
        return new Issued(jwt, Math.max(0, exp.getEpochSecond() - now.getEpochSecond()), grant.scope(), claims);
    }
}
