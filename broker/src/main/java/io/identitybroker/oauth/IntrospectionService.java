package io.identitybroker.oauth;

import io.identitybroker.agent.AgentService;
import io.identitybroker.agent.BoundCertificate;
import io.identitybroker.federation.ExternalClientService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 7662 introspection of the broker's own access tokens. The signature is checked locally
 * against the cached transit keys (no Vault call per request), once per token: a token seen
 * before skips the ES256 verification ({@link VerifiedTokens}) but not its expiry. Then one query
 * says whether the certificate the token is bound to still stands for its agent, and the agent
 * and tenant are active; the token's {@code sub}, {@code client_id} and {@code tenant} must all
 * name the agent that owns that binding (a token about one agent bound to another's certificate
 * is inactive, however validly signed). Nothing about that answer is cached, so a revocation or suspension
 * shows on the very next introspection, on every replica.
 */
@Singleton
public class IntrospectionService {
    /** Clock skew tolerated between replicas that issue and introspect. */
    static final Duration LEEWAY = Duration.ofSeconds(5);

    private final CertificateBoundTokenVerifier verifier;
    private final AgentService agents;
    private final ExternalClientService externalClients;
    private final Clock clock;
    private final MeterRegistry metrics;
    /** One counter per result (a handful), looked up without building a meter id per request. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IntrospectionService(TransitKeyRing keys, OAuthConfiguration properties, AgentService agents,
                                ExternalClientService externalClients, Clock clock, MeterRegistry metrics) {
        // The broker is not a resource server: any audience it issued for is fine here. Tokens of
        // spiffe_jwt clients without mTLS carry no cnf; their standing is the client's registration.
        this.verifier = CertificateBoundTokenVerifier.builder(keys).issuer(properties.getIssuer())
                .anyAudience().allowUnbound().leeway(LEEWAY).clock(clock)
                .cacheVerifiedTokens(properties.getIntrospectionVerifiedTokens()).build();
        this.agents = agents;
        this.externalClients = externalClients;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The verified token when it is active now; empty for every kind of inactive (RFC 7662 tells no reason). */
    private Optional<AccessToken> activeToken(String token) {
        AccessToken verified;
        try {
            verified = verifier.verifyIgnoringPresenter(token);
        } catch (InvalidAccessTokenException e) {
            count("invalid");
            return Optional.empty();
        }
        if (ExternalClientService.isClientId(verified.clientId())) {
            if (!externalClients.standing(verified.clientId(), verified.tenant(), verified.subject())) {
                count("not_registered");
                return Optional.empty();
            }
            return Optional.of(verified);
        }
        if (verified.x5tS256() == null) {
            count("not_bound");
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<BoundCertificate> bound = agents.boundCertificate(verified.x5tS256());
        if (bound.isEmpty() || !bound.get().acceptedAt(now)
                || !bound.get().agentId().equals(verified.clientId())
                || !bound.get().spiffeId().equals(verified.subject())
                || !bound.get().tenantId().equals(verified.tenant())) {
            count("not_bound");
            return Optional.empty();
        }
        return Optional.of(verified);
    }

    /**
     * The RFC 7662 response body for a caller limited to one tenant (an agent): another tenant's
     * token is {@code active: false}, exactly like an unknown one, so it learns nothing about it.
     *
     * @param callerTenant the only tenant whose tokens may show as active; null for all
     */
    public Map<String, Object> introspect(String token, String callerTenant) {
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<AccessToken> verified = activeToken(token);
        Optional<AccessToken> active = verified.filter(t -> callerTenant == null || callerTenant.equals(t.tenant()));
        if (verified.isPresent()) {
            count(active.isPresent() ? "active" : "other_tenant");
        }
        if (active.isEmpty()) {
            body.put("active", false);
            return body;
        }
        AccessToken t = active.get();
        body.put("active", true);
        body.put("token_type", "Bearer");
        body.put("iss", t.issuer());
        body.put("sub", t.subject());
        body.put("client_id", t.clientId());
        body.put("tenant", t.tenant());
        body.put("scope", t.scope());
        body.put("aud", t.audiences().size() == 1 ? t.audiences().get(0) : t.audiences());
        body.put("iat", t.issuedAt().getEpochSecond());
        body.put("exp", t.expiresAt().getEpochSecond());
        if (t.jwtId() != null) {
            body.put("jti", t.jwtId());
        }
        if (t.x5tS256() != null) {
            body.put("cnf", Map.of("x5t#S256", t.x5tS256()));
        }
        return body;
    }

    /** {@code broker.oauth.introspections{result}}: active, invalid (signature, expiry, form), not_bound, other_tenant. */
    private void count(String result) {
        counters.computeIfAbsent(result, r -> Counter.builder("broker.oauth.introspections")
                .description("token introspections by result").tag("result", r).register(metrics)).increment();
    }
}
