package io.identitybroker.enrollment;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.agent.AgentService;
import io.identitybroker.agent.FailedIssuance;
import io.identitybroker.api.JsonErrors;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.Protocol;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.ids.SpiffeId;
import io.identitybroker.issuance.IssuanceIntent;
import io.identitybroker.issuance.IssuanceIntents;
import io.identitybroker.pki.CsrPolicy;
import io.identitybroker.pki.CsrRejectedException;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.pki.SignedCertificate;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.identitybroker.vault.VaultUnavailableException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The enrollment exchange. Order matters and follows the failure rules:
 * <ol>
 *   <li>token checks (read only; every failure is the same 401, Vault is not called);</li>
 *   <li>CSR policy (nothing written but the failure event);</li>
 *   <li>the issuance intent, committed on its own ({@link IssuanceIntents});</li>
 *   <li>one transaction: claim a use with a conditional UPDATE, have Vault sign, check the
 *       result is the SVID we asked for, insert agent + binding + secret hash + event, close the
 *       intent, commit.</li>
 * </ol>
 * If Vault fails, the claim rolls back and the token stays usable. If Vault signed but the commit
 * failed, the certificate is revoked so no certificate anyone received lacks a binding; if the
 * process died instead, the open intent lets the reconciler find and revoke it.
 */
@Singleton
public class EnrollmentExchangeService {
    static final String FAILED = "agent.enrollment.failed";
    private static final FailedIssuance.Answer FAILED_ANSWER = new FailedIssuance.Answer("Enrollment failed",
            "The enrollment could not be recorded; no certificate was issued to you.",
            "Vault issued a certificate outside the X.509-SVID profile; it was revoked.");

    private final EnrollmentTokenService tokens;
    private final TenantService tenants;
    private final AgentService agents;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final FailedIssuance failedIssuance;
    private final IssuanceIntents intents;
    private final TransactionOperations<Connection> transactions;
    private final ObjectMapper json;

    public EnrollmentExchangeService(EnrollmentTokenService tokens, TenantService tenants, AgentService agents,
                                     PkiBackend pki, AuditLog audit, FailedIssuance failedIssuance,
                                     IssuanceIntents intents, TransactionOperations<Connection> transactions,
                                     ObjectMapper json) {
        this.intents = intents;
        this.json = json;
        this.tokens = tokens;
        this.tenants = tenants;
        this.agents = agents;
        this.pki = pki;
        this.audit = audit;
        this.failedIssuance = failedIssuance;
        this.transactions = transactions;
    }

    /** Parses the raw body (malformed or over-deep JSON is an audited failure too) and exchanges. */
    public ExchangeResponse exchange(String body, RequestContext ctx) {
        ExchangeRequest request;
        try {
            // Reading the tree first applies the parser's depth limits before any binding decision.
            request = json.treeToValue(json.readTree(body == null ? "" : body), ExchangeRequest.class);
            if (request == null) {
                throw new IllegalArgumentException("empty body");
            }
        } catch (StreamConstraintsException e) {
            audit.appendAlone(AuditRecord.failure(FAILED, null, null, ctx, ProblemType.JSON_TOO_COMPLEX.code()));
            throw new ProblemException(ProblemType.JSON_TOO_COMPLEX, "The JSON body exceeds the nesting or size limits.");
        } catch (IOException | IllegalArgumentException e) {
            audit.appendAlone(AuditRecord.failure(FAILED, null, null, ctx, ProblemType.MALFORMED_JSON.code()));
            throw new ProblemException(ProblemType.MALFORMED_JSON,
                    JsonErrors.detail(e, "Send a JSON object with the string fields 'token' and 'csr'."));
        }
        return exchange(request, ctx);
    }

    public ExchangeResponse exchange(ExchangeRequest request, RequestContext ctx) {
        return exchange(request.token(), request.csr(), null, Protocol.JSON, ctx);
    }

    /**
     * The one enrollment, whatever the protocol (the JSON exchange and EST's simpleenroll).
     *
     * @param secret         the enrollment token as presented, null when none was
     * @param csrPem         the CSR as one PEM block
     * @param requiredTenant the tenant the request was addressed to (EST's path label), or null when
     *                       the token alone decides; a token of another tenant is refused like any
     *                       unusable token (401, reason {@code tenant_mismatch})
     * @param protocol       recorded on every event; decides whether the agent gets a secret
     */
    public ExchangeResponse exchange(@Nullable String secret, @Nullable String csrPem, @Nullable String requiredTenant,
                                     Protocol protocol, RequestContext requestContext) {
        RequestContext ctx = requestContext.over(protocol);
        EnrollmentToken token = tokens.findBySecret(secret).orElse(null);
        if (token == null) {
            throw rejectToken(null, null, ctx, secret == null ? "missing" : "unknown");
        }
        Tenant tenant = tenants.find(token.tenantId()).orElseThrow();
        String reason = tenant.isActive() ? token.unusableReason(tokens.now()) : "tenant_suspended";
        if (reason == null && requiredTenant != null && !requiredTenant.equals(tenant.id())) {
            reason = "tenant_mismatch";
        }
        if (reason != null) {
            throw rejectToken(tenant.id(), token.id(), ctx, reason);
        }

        String agentId = AgentService.newAgentId();
        String spiffeId = SpiffeId.forAgent(tenant.trustDomain(), tenant.id(), agentId).toString();
        CsrPolicy.AcceptedCsr csr;
        try {
            csr = CsrPolicy.check(csrPem, spiffeId);
        } catch (CsrRejectedException e) {
            audit.appendAlone(AuditRecord.failure(FAILED, tenant.id(), token.id(), ctx, e.code()));
            throw e;
        }

        IssuanceIntent intent = intents.open(IssuanceIntent.ENROLLMENT, tenant.id(), tenant.pkiMount(), tenant.pkiRole(),
                agentId, spiffeId, token.id());
        AtomicReference<SignedCertificate> signed = new AtomicReference<>();
        try {
            AgentService.Enrolled enrolled = transactions.executeWrite(status -> {
                if (!tokens.claim(token)) {
                    throw new TokenClaimLost();
                }
                SignedCertificate cert = pki.sign(tenant.pkiMount(), tenant.pkiRole(), csr.pem(), spiffeId);
                signed.set(cert);
                intents.signed(intent);
                FailedIssuance.checkProfile(cert, spiffeId, csr.publicKey());
                AgentService.Enrolled e = agents.recordEnrollment(new AgentService.NewAgent(agentId, tenant.id(),
                        token.agentName(), spiffeId, token.labels(), token.scopes(), token.id()), cert,
                        protocol.carriesAgentSecret());
                audit.append(AuditRecord.success("agent.enrolled", tenant.id(), agentId, ctx)
                        .with("enrollment_token_id", token.id()).with("spiffe_id", spiffeId)
                        .with("serial_number", cert.serialNumber()).with("x5t#S256", cert.x5tS256())
                        .with("not_after", cert.notAfter().toString()).with("key", csr.keyAlgorithm()));
                intents.close(intent);
                return e;
            });
            SignedCertificate cert = signed.get();
            return new ExchangeResponse(agentId, spiffeId, cert.certificatePem(), cert.caChainPem(),
                    cert.serialNumber(), cert.x5tS256(), cert.notAfter(), enrolled.secret());
        } catch (TokenClaimLost e) {
            // Another request took the last use (or the token changed) between our read and our claim.
            intents.abandon(intent);
            throw rejectToken(tenant.id(), token.id(), ctx, "spent");
        } catch (VaultUnavailableException e) {
            audit.appendAlone(AuditRecord.failure(FAILED, tenant.id(), token.id(), ctx, "vault_unavailable"));
            throw e;
        } catch (RuntimeException e) {
            throw failedIssuance.settle(e, signed.get(), tenant.pkiMount(),
                    why -> AuditRecord.failure(FAILED, tenant.id(), token.id(), ctx, why), FAILED_ANSWER);
        }
    }

    private InvalidEnrollmentTokenException rejectToken(String tenantId, String tokenId, RequestContext ctx, String reason) {
        audit.appendAlone(AuditRecord.failure(FAILED, tenantId, tokenId, ctx, reason));
        return new InvalidEnrollmentTokenException();
    }

    /** The conditional UPDATE matched no row. */
    private static final class TokenClaimLost extends RuntimeException {
        TokenClaimLost() {
            super(null, null, false, false);
        }
    }
}
