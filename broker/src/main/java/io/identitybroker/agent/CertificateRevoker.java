package io.identitybroker.agent;

import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Revokes, in Vault, previous certificates whose rotation grace ended, then marks their bindings
 * REVOKED with an {@code agent.certificate.revoked} event.
 * <p>
 * Safe with several replicas: a replica first claims a binding with a conditional UPDATE (committed
 * on its own), so only one revokes it; a claim that is not completed (crash, Vault down) lapses after
 * {@link #CLAIM} and another sweep takes the binding over. Vault's revoke is idempotent, so a retry is
 * harmless. Authentication never waits for this job: a previous binding past its grace is refused
 * at once, whether or not Vault has revoked it yet.
 */
@Singleton
public class CertificateRevoker {
    /** The schedule: {@code broker.rotation.sweep-interval} with its default. */
    private static final String INTERVAL = "${" + RotationConfigurationProperties.PREFIX + ".sweep-interval:"
            + RotationConfigurationProperties.DEFAULT_SWEEP_INTERVAL + "}";
    static final String REVOKED = "agent.certificate.revoked";
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRevoker.class);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final int BATCH = 100;

    private final CertificateBindingRepository bindings;
    private final TenantService tenants;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    public CertificateRevoker(CertificateBindingRepository bindings, TenantService tenants, PkiBackend pki,
                              AuditLog audit, TransactionOperations<Connection> transactions, Clock clock) {
        this.bindings = bindings;
        this.tenants = tenants;
        this.pki = pki;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void sweep() {
        try {
            List<CertificateBinding> due = transactions.executeRead(s -> bindings.graceEnded(now(), BATCH));
            for (CertificateBinding b : due) {
                revokeGraceEnded(b, new RequestContext("system:rotation-grace", UUID.randomUUID().toString()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Grace-expiry sweep failed: {}", e.toString());
        }
    }

    /**
     * Revokes one previous binding whose grace ended; false when another replica holds it, it is no
     * longer previous, or Vault failed (a later sweep retries).
     */
    boolean revokeGraceEnded(CertificateBinding binding, RequestContext ctx) {
        Instant now = now();
        int claimed = transactions.executeWrite(s -> bindings.claimRevocation(binding.id(), now, now.plus(CLAIM)));
        if (claimed != 1) {
            return false;
        }
        Tenant tenant = tenants.find(binding.tenantId()).orElse(null);
        if (tenant == null) {
            return false;
        }
        try {
            pki.revoke(tenant.pkiMount(), binding.serialNumber());
        } catch (RuntimeException e) {
            LOG.warn("Could not revoke previous certificate {} of agent {} on {} ({}); will retry",
                    binding.serialNumber(), binding.agentId(), tenant.pkiMount(), e.getClass().getSimpleName());
            return false;
        }
        return transactions.executeWrite(s -> {
            if (bindings.markPreviousRevoked(binding.id(), now()) != 1) {
                return false;
            }
            audit.append(AuditRecord.success(REVOKED, tenant.id(), binding.agentId(), ctx)
                    .with("serial_number", binding.serialNumber()).with("x5t#S256", binding.x5tS256())
                    .with("reason", "grace_ended"));
            return true;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
