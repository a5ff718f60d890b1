package io.identitybroker.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.JsonErrors;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.Protocol;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.ids.TimeOrderedUuid;
import io.identitybroker.issuance.IssuanceIntent;
import io.identitybroker.issuance.IssuanceIntents;
import io.identitybroker.pki.CsrPolicy;
import io.identitybroker.pki.CsrRejectedException;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.pki.SignedCertificate;
import io.identitybroker.security.SecretTokens;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.identitybroker.vault.VaultUnavailableException;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An agent's life after enrollment: certificate rotation, secret rotation, and the admin's
 * secret revocation and agent revocation. Every step that must happen once is a conditional
 * UPDATE or a row lock in the database, never a read-then-write in Java.
 */
@Singleton
public class AgentLifecycleService {
    public static final String ROTATED = "agent.certificate.rotated";
    static final String SECRET_ROTATED = "agent.secret.rotated";
    static final String SECRET_REVOKED = "agent.secret.revoked";
    static final String AGENT_REVOKED = "agent.revoked";
    private static final FailedIssuance.Answer ROTATION_FAILED = new FailedIssuance.Answer("Rotation failed",
            "The rotation could not be recorded; your current certificate is unchanged.",
            "The rotation could not be recorded; your current certificate is unchanged.");

    private final AgentRepository agents;
    private final CertificateBindingRepository bindings;
    private final AgentService agentService;
    private final TenantService tenants;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final FailedIssuance failedIssuance;
    private final IssuanceIntents intents;
    private final CertificateRevoker revoker;
    private final RotationConfiguration rotation;
    private final TransactionOperations<Connection> transactions;
    private final ObjectMapper json;
    private final Clock clock;

    /** {@code POST /api/v1/agents/{agent_id}/certificate/rotate}. */
    @Introspected
    public record RotateRequest(@Nullable String csr) {
    }

    /** The new certificate; like the exchange's response, without a secret. */
    public record RotateResponse(String agentId, String spiffeId, String certificate, List<String> caChain,
                                 String serialNumber, @JsonProperty("x5t#S256") String x5tS256, Instant notAfter,
                                 String previousSerialNumber, Instant previousValidUntil) {
    }

    /** The new secret, returned once. */
    public record SecretResponse(String agentId, String agentSecret, int secretVersion) {
        @Override
        public String toString() {
            return "SecretResponse[agentId=" + agentId + ", agentSecret=<redacted>]";
        }
    }

    public AgentLifecycleService(AgentRepository agents, CertificateBindingRepository bindings, AgentService agentService,
                                 TenantService tenants, PkiBackend pki, AuditLog audit, FailedIssuance failedIssuance,
                                 IssuanceIntents intents, CertificateRevoker revoker,
                                 RotationConfiguration rotation, TransactionOperations<Connection> transactions,
                                 ObjectMapper json, Clock clock) {
        this.agents = agents;
        this.bindings = bindings;
        this.agentService = agentService;
        this.tenants = tenants;
        this.pki = pki;
        this.audit = audit;
        this.failedIssuance = failedIssuance;
        this.intents = intents;
        this.revoker = revoker;
        this.rotation = rotation;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /** Records a refused agent-route request as the failure event of the route's type. */
    public void auditRefusal(String type, AgentAuthenticationException e, RequestContext ctx) {
        audit.appendAloneBestEffort(AuditRecord.failure(type, e.tenantId(), e.agentId(), ctx, e.code())
                .with("x5t#S256", e.presentedX5t()));
    }

    // ------------------------------------------------------------------ certificate rotation

    /**
     * Vault signs the new CSR only after the transaction holds the agent's row lock and has swapped
     * the binding the caller authenticated with from CURRENT to PREVIOUS. So of N concurrent
     * rotations with the same credential exactly one signs and wins; the others find the binding no
     * longer current and fail with 409 before anything is signed. If the commit fails after Vault
     * signed, the new certificate is revoked (best effort, audited), as in the exchange.
     */
    public RotateResponse rotateCertificate(AgentPrincipal principal, String body, RequestContext ctx) {
        RotateRequest request = parse(body, RotateRequest.class, ROTATED, principal.tenant().id(),
                principal.agent().id(), ctx, "Send a JSON object with the string field 'csr'.");
        return rotateCertificate(principal, request.csr(), Protocol.JSON, ctx);
    }

    /** The one rotation, whatever the protocol (the JSON rotate route and EST's simplereenroll); {@code csrPem} is one PEM block. */
    public RotateResponse rotateCertificate(AgentPrincipal principal, @Nullable String csrPem, Protocol protocol,
                                            RequestContext requestContext) {
        RequestContext ctx = requestContext.over(protocol);
        Agent agent = principal.agent();
        Tenant tenant = principal.tenant();
        CertificateBinding old = principal.binding();
        Instant now = now();
        if (old == null) {
            throw fail(tenant, agent, ctx, new ProblemException(ProblemType.ROTATION_CONFLICT,
                    "The agent has no current certificate to rotate; enroll again."));
        }
        if (!now.isBefore(old.notAfter())) {
            throw fail(tenant, agent, ctx, new ProblemException(ProblemType.CLIENT_CERTIFICATE_EXPIRED,
                    "The certificate expired; an expired certificate cannot rotate. Enroll again."));
        }
        CsrPolicy.AcceptedCsr csr;
        try {
            csr = CsrPolicy.check(csrPem, agent.spiffeId());
        } catch (CsrRejectedException e) {
            throw fail(tenant, agent, ctx, e);
        }
        Instant graceUntil = now.plus(rotation.getGrace());
        IssuanceIntent intent = intents.open(IssuanceIntent.ROTATION, tenant.id(), tenant.pkiMount(), tenant.pkiRole(),
                agent.id(), agent.spiffeId(), null);
        AtomicReference<SignedCertificate> signed = new AtomicReference<>();
        try {
            transactions.executeWrite(status -> {
                if (agents.lockActive(agent.id(), now) != 1) {
                    throw new Conflict("The agent was revoked.");
                }
                bindings.endGrace(agent.id(), now);
                if (bindings.demoteCurrent(old.id(), agent.id(), graceUntil) != 1) {
                    throw new Conflict("The certificate you authenticated with is no longer the agent's current one.");
                }
                SignedCertificate cert = pki.sign(tenant.pkiMount(), tenant.pkiRole(), csr.pem(), agent.spiffeId());
                signed.set(cert);
                intents.signed(intent);
                FailedIssuance.checkProfile(cert, agent.spiffeId(), csr.publicKey());
                bindings.save(new CertificateBinding(TimeOrderedUuid.next(), agent.id(), tenant.id(),
                        cert.serialNumber(), cert.x5tS256(), cert.notBefore(), cert.notAfter(), BindingStatus.CURRENT,
                        null, now, null, null));
                audit.append(AuditRecord.success(ROTATED, tenant.id(), agent.id(), ctx)
                        .with("previous_serial_number", old.serialNumber()).with("previous_x5t#S256", old.x5tS256())
                        .with("serial_number", cert.serialNumber()).with("x5t#S256", cert.x5tS256())
                        .with("not_after", cert.notAfter().toString()).with("previous_grace_until", graceUntil.toString())
                        .with("authenticated_with", principal.method().name().toLowerCase())
                        .with("key", csr.keyAlgorithm()));
                intents.close(intent);
                return cert;
            });
        } catch (Conflict e) {
            intents.abandon(intent);
            throw fail(tenant, agent, ctx, new ProblemException(ProblemType.ROTATION_CONFLICT, e.getMessage()));
        } catch (VaultUnavailableException e) {
            throw fail(tenant, agent, ctx, e);
        } catch (RuntimeException e) {
            throw failedIssuance.settle(e, signed.get(), tenant.pkiMount(),
                    why -> AuditRecord.failure(ROTATED, tenant.id(), agent.id(), ctx, why), ROTATION_FAILED);
        }
        if (rotation.getGrace().isZero()) {
            // Grace 0: the replaced certificate is revoked now, not at the next sweep.
            bindings.findById(old.id()).ifPresent(b -> revoker.revokeGraceEnded(b, ctx));
        }
        SignedCertificate cert = signed.get();
        return new RotateResponse(agent.id(), agent.spiffeId(), cert.certificatePem(), cert.caChainPem(),
                cert.serialNumber(), cert.x5tS256(), cert.notAfter(), old.serialNumber(), graceUntil);
    }

    // ------------------------------------------------------------------ secrets

    /** Compare-and-swap on the secret version the caller authenticated with: one of N concurrent callers wins. */
    public SecretResponse rotateSecret(AgentPrincipal principal, RequestContext ctx) {
        Agent agent = principal.agent();
        String secret = SecretTokens.generate(AgentService.SECRET_PREFIX);
        boolean swapped = transactions.executeWrite(status -> {
            if (agents.rotateSecret(agent.id(), agent.secretVersion(), agent.secretHash(), SecretTokens.hash(secret), now()) != 1) {
                return false;
            }
            audit.append(AuditRecord.success(SECRET_ROTATED, agent.tenantId(), agent.id(), ctx)
                    .with("secret_version", agent.secretVersion() + 1)
                    .with("authenticated_with", principal.method().name().toLowerCase()));
            return true;
        });
        if (!swapped) {
            throw fail(principal.tenant(), agent, SECRET_ROTATED, ctx, new ProblemException(ProblemType.SECRET_ROTATION_CONFLICT,
                    "The secret changed since you authenticated; it was not rotated."));
        }
        return new SecretResponse(agent.id(), secret, agent.secretVersion() + 1);
    }

    /** The admin's cut: the secret stops working now; the agent must enroll again to get one. */
    public AgentView revokeSecret(String tenantId, String agentId, RequestContext ctx) {
        tenants.require(tenantId);
        agentService.require(tenantId, agentId);
        transactions.executeWrite(status -> {
            if (agents.revokeSecret(agentId, tenantId, now()) == 1) {
                audit.append(AuditRecord.success(SECRET_REVOKED, tenantId, agentId, ctx));
            }
            return null;
        });
        return view(tenantId, agentId);
    }

    // ------------------------------------------------------------------ revocation

    /**
     * Revokes the agent: its current and previous certificates in Vault, its bindings and itself in
     * the database, in one transaction that starts by locking the agent's row. A rotation racing it
     * either finds the agent revoked (and signs nothing) or committed first, in which case its new
     * binding is read after the lock and revoked too. If Vault cannot revoke, nothing is written (503).
     */
    public AgentView revokeAgent(String tenantId, String agentId, RequestContext ctx) {
        Tenant tenant = tenants.require(tenantId);
        agentService.require(tenantId, agentId);
        transactions.executeWrite(status -> {
            Instant now = now();
            if (agents.revoke(agentId, tenantId, now) != 1) {
                return null; // already revoked: nothing changes, nothing to record
            }
            List<CertificateBinding> live = bindings.liveOf(agentId);
            List<Map<String, Object>> revoked = new ArrayList<>();
            for (CertificateBinding b : live) {
                pki.revoke(tenant.pkiMount(), b.serialNumber());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("serial_number", b.serialNumber());
                entry.put("x5t#S256", b.x5tS256());
                entry.put("status_before", b.status().name().toLowerCase());
                revoked.add(entry);
            }
            bindings.revokeAllOf(agentId, now);
            audit.append(AuditRecord.success(AGENT_REVOKED, tenantId, agentId, ctx).with("certificates", revoked));
            return null;
        });
        return view(tenantId, agentId);
    }

    private AgentView view(String tenantId, String agentId) {
        Agent agent = agentService.require(tenantId, agentId);
        return AgentView.of(agent, agentService.bindingsOf(agentId));
    }

    // ------------------------------------------------------------------ helpers

    private <T> T parse(String body, Class<T> type, String eventType, String tenantId, String agentId,
                        RequestContext ctx, String hint) {
        try {
            T value = json.readValue(body == null ? "" : body, type);
            if (value == null) {
                throw new IllegalArgumentException("empty body");
            }
            return value;
        } catch (StreamConstraintsException e) {
            audit.appendAloneBestEffort(AuditRecord.failure(eventType, tenantId, agentId, ctx, ProblemType.JSON_TOO_COMPLEX.code()));
            throw new ProblemException(ProblemType.JSON_TOO_COMPLEX, "The JSON body exceeds the nesting or size limits.");
        } catch (IOException | IllegalArgumentException e) {
            audit.appendAloneBestEffort(AuditRecord.failure(eventType, tenantId, agentId, ctx, ProblemType.MALFORMED_JSON.code()));
            throw new ProblemException(ProblemType.MALFORMED_JSON, JsonErrors.detail(e, hint));
        }
    }

    private ProblemException fail(Tenant tenant, Agent agent, RequestContext ctx, ProblemException e) {
        return fail(tenant, agent, ROTATED, ctx, e);
    }

    private ProblemException fail(Tenant tenant, Agent agent, String type, RequestContext ctx, ProblemException e) {
        audit.appendAloneBestEffort(AuditRecord.failure(type, tenant.id(), agent.id(), ctx,
                e instanceof VaultUnavailableException ? "vault_unavailable" : e.code()));
        return e;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The agent or its binding changed under us; nothing was signed. */
    private static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
