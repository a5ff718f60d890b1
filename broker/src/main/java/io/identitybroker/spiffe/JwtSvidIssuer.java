package io.identitybroker.spiffe;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.agent.AgentPrincipal;
import io.identitybroker.agent.CertificateBinding;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.vault.VaultUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issues JWT-SVIDs (SPIFFE JWT-SVID): header {@code {"alg":"ES256","typ":"JWT","kid":...}}, claims
 * {@code sub} (the agent's SPIFFE ID), {@code aud} (always an array), {@code exp}, {@code iat},
 * {@code jti}; signed by the JWT-SVID transit key ({@link JwtSvidKeys}), never the access-token key.
 * Only for an agent that authenticated with a certificate the broker bound to it; the token never
 * outlives that certificate nor, for a rotated one, its grace period.
 * <p>
 * Every issuance and every refusal is an {@value #ISSUED} audit event (audiences, expiry and
 * {@code jti}; never the token), written before the token is returned: when the event cannot be
 * written, the token is discarded and the caller gets the database failure. Counted in
 * {@code broker.spiffe.jwt_svids.issued} (tagged by tenant).
 */
@Singleton
public class JwtSvidIssuer {
    public static final String ISSUED = "agent.jwt_svid.issued";
    static final String TYPE = "JWT";
    static final int MAX_AUDIENCES = 10;
    static final int MAX_AUDIENCE_LENGTH = 255;

    private static final ObjectMapper CLAIMS = new ObjectMapper();

    /** The request body; unknown members are refused (the broker's ObjectMapper fails on them), a bare string audience too. */
    public record Request(@Nullable @JsonFormat(without = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> audience,
                          @Nullable Long ttlSeconds) {
    }

    /** The response: the token once, and what it says. */
    public record Issued(String token, String spiffeId, List<String> audience, Instant expiresAt) {
    }

    private final JwtSvidKeys keys;
    private final JwtSvidConfiguration properties;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    public JwtSvidIssuer(JwtSvidKeys keys, JwtSvidConfiguration properties, AuditLog audit, ObjectMapper json, Clock clock,
                         MeterRegistry metrics) {
        this.keys = keys;
        this.properties = properties;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Issued issue(AgentPrincipal principal, @Nullable String body, RequestContext ctx) {
        String tenant = principal.tenant().id();
        String agent = principal.agent().id();
        try {
            CertificateBinding binding = requireBoundCertificate(principal);
            Request request = parse(body);
            List<String> audience = audience(request.audience());
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant exp = now.plus(ttl(request.ttlSeconds()));
            Instant certificateEnd = binding.graceUntil() != null && binding.graceUntil().isBefore(binding.notAfter())
                    ? binding.graceUntil() : binding.notAfter();
            if (certificateEnd.isBefore(exp)) {
                exp = certificateEnd.truncatedTo(ChronoUnit.SECONDS);
            }
            if (!exp.isAfter(now)) {
                throw new ProblemException(ProblemType.CLIENT_CERTIFICATE_EXPIRED,
                        "The certificate ends within the second; rotate it first.");
            }
            String jti = UUID.randomUUID().toString();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", principal.agent().spiffeId());
            claims.put("aud", audience);
            claims.put("exp", exp.getEpochSecond());
            claims.put("iat", now.getEpochSecond());
            claims.put("jti", jti);
            String token = keys.signer().sign(TYPE, CLAIMS.writeValueAsBytes(claims));
            audit.appendAlone(AuditRecord.success(ISSUED, tenant, agent, ctx)
                    .with("audience", audience).with("expires_at", exp.toString()).with("jti", jti)
                    .with("x5t#S256", binding.x5tS256()));
            Counter.builder("broker.spiffe.jwt_svids.issued").description("JWT-SVIDs issued")
                    .tag("tenant", tenant).register(metrics).increment();
            return new Issued(token, principal.agent().spiffeId(), audience, exp);
        } catch (ProblemException e) {
            audit.appendAloneBestEffort(AuditRecord.failure(ISSUED, tenant, agent, ctx,
                    e instanceof VaultUnavailableException ? "vault_unavailable" : e.code()));
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            // E.g. Vault refusing the key (policy or key missing): a 500, still on the record.
            audit.appendAloneBestEffort(AuditRecord.failure(ISSUED, tenant, agent, ctx, "internal_error"));
            throw e;
        }
    }

    /** A JWT-SVID proves the certificate the broker bound: not a secret alone, not an external SVID. */
    private static CertificateBinding requireBoundCertificate(AgentPrincipal principal) {
        return switch (principal.method()) {
            case BOUND_CERTIFICATE -> principal.binding();
            case SECRET_ONLY -> throw new ProblemException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
                    "JWT-SVIDs are issued only over mutual TLS with the agent's certificate.");
            case EXTERNAL_SVID -> throw new ProblemException(ProblemType.CLIENT_CERTIFICATE_NOT_BOUND,
                    "JWT-SVIDs are issued only for a certificate the broker bound to this agent.");
        };
    }

    private Request parse(String body) {
        try {
            Request request = json.readValue(body == null ? "" : body, Request.class);
            if (request == null) {
                throw invalid("Send a JSON object with the array 'audience'.");
            }
            return request;
        } catch (StreamConstraintsException e) {
            throw new ProblemException(ProblemType.JSON_TOO_COMPLEX, "The JSON body exceeds the nesting or size limits.");
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON,
                    "Send a JSON object with the array 'audience' (1 to 10 strings) and optionally 'ttl_seconds'.");
        }
    }

    private static List<String> audience(List<String> requested) {
        if (requested == null || requested.isEmpty() || requested.size() > MAX_AUDIENCES) {
            throw invalid("'audience' must hold 1 to " + MAX_AUDIENCES + " strings.");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String a : requested) {
            if (a == null || a.isBlank() || a.length() > MAX_AUDIENCE_LENGTH || a.chars().anyMatch(Character::isISOControl)
                    || !a.strip().equals(a)) {
                throw invalid("Each audience must be a non-empty string of at most " + MAX_AUDIENCE_LENGTH
                        + " characters, without control characters or surrounding spaces.");
            }
            out.add(a);
        }
        return List.copyOf(new ArrayList<>(out));
    }

    private Duration ttl(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return properties.getTtl(); // at most max-ttl: JwtSvidConfigurationProperties
        }
        if (ttlSeconds < 1 || ttlSeconds > properties.getMaxTtl().toSeconds()) {
            throw invalid("'ttl_seconds' must be between 1 and " + properties.getMaxTtl().toSeconds() + ".");
        }
        return Duration.ofSeconds(ttlSeconds);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_JWT_SVID_REQUEST, detail);
    }
}
