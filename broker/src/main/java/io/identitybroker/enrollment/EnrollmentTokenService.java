package io.identitybroker.enrollment;

import io.identitybroker.agent.TokenAttributes;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.database.RowLookup;
import io.identitybroker.ids.TimeOrderedUuid;
import io.identitybroker.security.SecretTokens;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Issuing, listing, revoking and claiming enrollment tokens. */
@Singleton
public class EnrollmentTokenService {
    static final String TOKEN_PREFIX = "ibet_";
    /** Each exchange looks its token up: plain JDBC ({@link RowLookup}), columns in {@link #token}'s order. */
    private static final String BY_HASH = """
            SELECT id, tenant_id, token_hash, agent_name, labels, scopes, max_uses, uses, expires_at, revoked_at,
                   created_at, created_by
            FROM enrollment_tokens WHERE token_hash = ?""";

    private final EnrollmentTokenRepository tokens;
    private final RowLookup rows;
    private final TenantService tenants;
    private final AuditLog audit;
    private final EnrollmentConfiguration properties;
    private final Clock clock;

    /** A newly issued token with its secret, which exists only in this response. */
    public record Issued(EnrollmentToken token, String secret) {
    }

    public EnrollmentTokenService(EnrollmentTokenRepository tokens, RowLookup rows, TenantService tenants, AuditLog audit,
                                  EnrollmentConfiguration properties, Clock clock) {
        this.tokens = tokens;
        this.rows = rows;
        this.tenants = tenants;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public Issued issue(String tenantId, EnrollmentTokenRequest request, RequestContext ctx) {
        Tenant tenant = tenants.require(tenantId);
        if (!tenant.isActive()) {
            throw new ProblemException(ProblemType.TENANT_SUSPENDED,
                    "The tenant is suspended; its tokens could not be redeemed.");
        }
        Duration ttl = request.ttlSeconds() == null ? properties.getDefaultTokenTtl() : Duration.ofSeconds(request.ttlSeconds());
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(properties.getMaxTokenTtl()) > 0) {
            throw new ProblemException(ProblemType.INVALID_ENROLLMENT_TOKEN_REQUEST,
                    "ttl_seconds must be 1.." + properties.getMaxTokenTtl().toSeconds() + ".");
        }
        int maxUses = request.maxUses() == null ? 1 : request.maxUses();
        if (maxUses < 1 || maxUses > 1000) {
            throw new ProblemException(ProblemType.INVALID_ENROLLMENT_TOKEN_REQUEST, "max_uses must be 1..1000.");
        }
        String secret = SecretTokens.generate(TOKEN_PREFIX);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        EnrollmentToken token = tokens.save(new EnrollmentToken(TimeOrderedUuid.next(), tenantId,
                SecretTokens.hash(secret), TokenAttributes.agentName(request.agentName()),
                TokenAttributes.labelsJson(request.labels()), TokenAttributes.scopes(request.scopes()),
                maxUses, 0, now.plus(ttl), null, now, ctx.actor()));
        audit.append(AuditRecord.success("agent.enrollment_token.issued", tenantId, token.id(), ctx)
                .with("max_uses", maxUses).with("expires_at", token.expiresAt().toString())
                .with("agent_name", token.agentName()).with("scopes", token.scopes()));
        return new Issued(token, secret);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EnrollmentToken> list(String tenantId) {
        tenants.require(tenantId);
        return tokens.recentOfTenant(tenantId);
    }

    @Transactional
    public void revoke(String tenantId, String tokenId, RequestContext ctx) {
        tenants.require(tenantId);
        EnrollmentToken token = tokens.findByIdAndTenantId(tokenId, tenantId)
                .orElseThrow(() -> new ProblemException(ProblemType.ENROLLMENT_TOKEN_NOT_FOUND, "No such enrollment token."));
        int changed = tokens.revoke(token.id(), clock.instant());
        if (changed == 1) {
            audit.append(AuditRecord.success("agent.enrollment_token.revoked", tenantId, token.id(), ctx));
        }
    }

    /** Looks a presented secret up by its hash (the hash, not the secret, reaches the database). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<EnrollmentToken> findBySecret(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX) || secret.length() > 128) {
            return Optional.empty();
        }
        return rows.one(BY_HASH, SecretTokens.hash(secret), EnrollmentTokenService::token)
                .filter(t -> SecretTokens.matches(secret, t.tokenHash()));
    }

    private static EnrollmentToken token(ResultSet rs) throws SQLException {
        return new EnrollmentToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getInt(8), RowLookup.instant(rs, 9), RowLookup.instant(rs, 10),
                RowLookup.instant(rs, 11), rs.getString(12));
    }

    /** Claims one use inside the caller's transaction; false when the token is no longer usable. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(EnrollmentToken token) {
        return tokens.claim(token.id(), clock.instant()) == 1;
    }

    Instant now() {
        return clock.instant();
    }
}
