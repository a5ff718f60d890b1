package io.identitybroker.issuance;

import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.pki.SvidProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Settles issuance intents that no live request owns any more: a broker crashed (or lost its
 * database or Vault's answer) between asking Vault to sign and committing the binding.
 * <p>
 * An intent is stale once it is older than {@code broker.issuance.reconcile-after}, longer than
 * any live request. A replica claims a stale intent with a conditional UPDATE (committed alone),
 * so two replicas never work on one intent and none touches another's in-flight work; a claim
 * left by a replica that died lapses after {@link #CLAIM}. For a claimed intent whose role stores
 * what it signs ({@code no_store=false}; otherwise the intent stays open and an error is logged) it lists the
 * tenant mount's stored certificates ({@code <mount>/certs}; the role stores what it signs),
 * reads each (at most {@code max-certificates-read} per sweep), and revokes every certificate
 * that names the intent's SPIFFE ID, is not bound in the database, and was issued after the
 * intent was opened. Then, in one transaction, it deletes the intent and appends
 * {@code agent.issuance.reconciled} with {@code result} {@code revoked} or {@code not_signed}.
 * If Vault cannot be read or cannot revoke, nothing is closed and a later sweep tries again.
 * A rotation intent waits while a younger intent for the same identity may still be live, so
 * a certificate a live rotation is about to bind is never taken for an orphan.
 * <p>
 * Metrics: {@code broker.issuance.intents.reconciled} (counter, tag {@code result}) and
 * {@code broker.issuance.intents.open} (gauge: open intents at the last sweep, live ones included).
 */
@Singleton
public class IssuanceReconciler {
    /** The schedule: {@code broker.issuance.reconcile-interval} with its default. */
    private static final String INTERVAL = "${" + IssuanceConfigurationProperties.PREFIX + ".reconcile-interval:"
            + IssuanceConfigurationProperties.DEFAULT_RECONCILE_INTERVAL + "}";
    static final String RECONCILED = "agent.issuance.reconciled";
    private static final Logger LOG = LoggerFactory.getLogger(IssuanceReconciler.class);
    private static final Duration CLAIM = Duration.ofMinutes(5);
    /** Vault back-dates NotBefore (the role's not_before_duration, 30 s in our configuration); allow more. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final int BATCH = 50;

    private final IssuanceIntentRepository intents;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final IssuanceConfiguration properties;
    private final MeterRegistry metrics;
    private final AtomicLong open = new AtomicLong();

    public IssuanceReconciler(IssuanceIntentRepository intents, PkiBackend pki, AuditLog audit,
                              TransactionOperations<Connection> transactions, Clock clock, IssuanceConfiguration properties,
                              MeterRegistry metrics) {
        this.intents = intents;
        this.pki = pki;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
        this.metrics = metrics;
        Gauge.builder("broker.issuance.intents.open", open, AtomicLong::get)
                .description("issuance intents not yet closed, at the last reconciliation sweep").register(metrics);
    }

    @Scheduled(fixedDelay = INTERVAL,
            initialDelay = "${" + IssuanceConfigurationProperties.PREFIX + ".reconcile-initial-delay:"
                    + IssuanceConfigurationProperties.DEFAULT_RECONCILE_INITIAL_DELAY + "}")
    void sweep() {
        try {
            reconcileStale();
        } catch (RuntimeException e) {
            LOG.warn("Issuance reconciliation sweep failed: {}", e.toString());
        }
    }

    /** One sweep (the scheduler's, or a caller's). @return how many intents it closed */
    public int reconcileStale() {
        Instant now = now();
        Instant bound = now.minus(properties.getReconcileAfter());
        open.set(transactions.executeRead(s -> intents.countOpen()));
        List<IssuanceIntent> stale = transactions.executeRead(s -> intents.stale(bound, now, BATCH));
        int closed = 0;
        Map<String, List<PkiBackend.StoredCertificate>> unbound = new LinkedHashMap<>();
        for (IssuanceIntent intent : stale) {
            Instant until = now().plus(CLAIM);
            if (transactions.executeWrite(s -> intents.claim(intent.id(), bound, now, until)) != 1) {
                continue; // another replica has it
            }
            if (IssuanceIntent.ROTATION.equals(intent.kind())
                    && transactions.executeRead(s -> intents.liveSiblings(intent.spiffeId(), intent.id(), bound)) > 0) {
                continue; // a live rotation of the same agent may be about to bind its certificate; the claim lapses
            }
            try {
                List<PkiBackend.StoredCertificate> certificates = unbound.computeIfAbsent(intent.pkiMount() + " " + intent.pkiRole(),
                        k -> stored(intent.pkiMount(), intent.pkiRole()));
                if (certificates == null) {
                    continue;
                }
                if (reconcile(intent, certificates, until)) {
                    closed++;
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not reconcile issuance intent {} on {} ({}); will retry", intent.id(), intent.pkiMount(),
                        e.toString());
            }
        }
        if (closed > 0) {
            open.set(transactions.executeRead(s -> intents.countOpen()));
        }
        return closed;
    }

    /**
     * Every stored certificate of a mount, or null when nothing can be concluded: the role keeps
     * no copies ({@code no_store}, or it is gone), or there are more than a sweep may read.
     */
    private List<PkiBackend.StoredCertificate> stored(String mount, String role) {
        if (pki.role(mount, role).map(r -> r.noStore()).orElse(true)) {
            LOG.error("{}/roles/{} does not store the certificates it signs (no_store) or is gone: issuance intents on it"
                    + " cannot be reconciled and stay open; set no_store=false", mount, role);
            return null;
        }
        List<String> serials = pki.storedSerials(mount);
        if (serials.size() > properties.getMaxCertificatesRead()) {
            LOG.warn("{} stores {} certificates, more than broker.issuance.max-certificates-read ({}): intents on it stay"
                    + " open; tidy the mount or raise the limit", mount, serials.size(), properties.getMaxCertificatesRead());
            return null;
        }
        List<PkiBackend.StoredCertificate> out = new ArrayList<>();
        for (String serial : serials) {
            pki.storedCertificate(mount, serial).ifPresent(out::add);
        }
        return out;
    }

    private boolean reconcile(IssuanceIntent intent, List<PkiBackend.StoredCertificate> certificates, Instant claim) {
        Instant issuedAfter = intent.createdAt().minus(BACKDATE);
        List<String> revoked = new ArrayList<>();
        for (PkiBackend.StoredCertificate c : certificates) {
            if (!SvidProfile.namesUri(c.certificate(), intent.spiffeId())
                    || c.certificate().getNotBefore().toInstant().isBefore(issuedAfter)
                    || transactions.executeRead(s -> intents.bindingsWithSerial(intent.tenantId(), c.serialNumber())) > 0) {
                continue;
            }
            if (!c.revoked()) {
                pki.revoke(intent.pkiMount(), c.serialNumber());
            }
            revoked.add(c.serialNumber());
        }
        String result = revoked.isEmpty() ? "not_signed" : "revoked";
        boolean closed = transactions.executeWrite(s -> {
            if (intents.closeClaimed(intent.id(), claim) != 1) {
                return false;
            }
            audit.append(AuditRecord.success(RECONCILED, intent.tenantId(), intent.agentId(),
                            new RequestContext("system:issuance-reconciler", UUID.randomUUID().toString()))
                    .with("intent_id", intent.id()).with("kind", intent.kind()).with("spiffe_id", intent.spiffeId())
                    .with("enrollment_token_id", intent.enrollmentTokenId())
                    .with("intent_created_at", intent.createdAt().toString())
                    .with("result", result).with("serial_numbers", revoked));
            return true;
        });
        if (closed) {
            Counter.builder("broker.issuance.intents.reconciled").tag("result", result)
                    .description("issuance intents settled by the reconciler").register(metrics).increment();
            LOG.warn("Reconciled issuance intent {} ({} of {} on {}): {}{}", intent.id(), intent.kind(), intent.spiffeId(),
                    intent.pkiMount(), result, revoked.isEmpty() ? "" : " " + revoked);
        }
        return closed;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
