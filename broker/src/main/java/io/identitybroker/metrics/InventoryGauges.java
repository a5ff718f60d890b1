package io.identitybroker.metrics;

import io.identitybroker.audit.AuditChainHead;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.pki.PkiBackend;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant inventory gauges, recomputed from the database every
 * {@code broker.metrics.inventory-interval} (60 s) rather than per scrape, so a scrape costs no
 * query: agents by status, current certificates of active agents expiring within 24 h and 7 d,
 * agents overdue for renewal (past two thirds of their current certificate's lifetime), seconds
 * until each tenant's issuing CA expires, each audit chain's head seq, and whether its latest
 * events verify. Each replica computes the same values from the shared database.
 *
 * <p>The queries read other capabilities' tables directly: they are read-only reports, and one
 * query per table keeps the cost to a few scans a minute. A failed refresh (database down) keeps
 * the previous values and {@code broker.metrics.inventory.refreshed} (the epoch second of the last
 * complete refresh) stops moving; an unreadable CA chain (Vault down) keeps that tenant's last value.
 */
@Singleton
public class InventoryGauges {
    /** The schedule: {@code broker.metrics.inventory-interval} with its default. */
    private static final String INTERVAL = "${" + MetricsConfigurationProperties.PREFIX + ".inventory-interval:"
            + MetricsConfigurationProperties.DEFAULT_INVENTORY_INTERVAL + "}";
    private static final Logger LOG = LoggerFactory.getLogger(InventoryGauges.class);
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration WEEK = Duration.ofDays(7);

    private final TransactionOperations<Connection> transactions;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final MetricsConfiguration properties;
    private final Clock clock;

    private final MultiGauge agents;
    private final MultiGauge expiring;
    private final MultiGauge overdue;
    private final MultiGauge caExpiry;
    private final MultiGauge chainHead;
    private final MultiGauge chainValid;
    private final Map<String, Instant> caNotAfter = new ConcurrentHashMap<>();
    private volatile double refreshedAt = Double.NaN;

    public InventoryGauges(TransactionOperations<Connection> transactions, PkiBackend pki, AuditLog audit,
                           MetricsConfiguration properties, Clock clock, MeterRegistry registry) {
        this.transactions = transactions;
        this.pki = pki;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.agents = MultiGauge.builder("broker.agents").description("agents by status").register(registry);
        this.expiring = MultiGauge.builder("broker.certificates.expiring")
                .description("current certificates of active agents that expire within the window").register(registry);
        this.overdue = MultiGauge.builder("broker.agents.renewal.overdue")
                .description("active agents past 2/3 of their current certificate's lifetime").register(registry);
        this.caExpiry = MultiGauge.builder("broker.tenant.ca.expiry").baseUnit("seconds")
                .description("seconds until the tenant's issuing CA certificate expires").register(registry);
        this.chainHead = MultiGauge.builder("broker.audit.chain.head.seq").description("seq of the audit chain's head")
                .register(registry);
        this.chainValid = MultiGauge.builder("broker.audit.chain.valid")
                .description("1 when the chain's latest events verify (links, hashes, head, anchor), else 0").register(registry);
        Gauge.builder("broker.metrics.inventory.refreshed", this, g -> g.refreshedAt)
                .description("epoch second of the last complete refresh of the inventory gauges").register(registry);
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = "5s")
    public void refreshPeriodically() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Could not refresh the inventory gauges ({}); keeping the previous values", e.toString());
        }
    }

    /** Recomputes every gauge now (the schedule calls this; tests call it to avoid waiting). */
    public void refresh() {
        Instant now = clock.instant();
        Map<String, String> mounts = transactions.executeRead(s -> query(s.getConnection(),
                "SELECT id, pki_mount FROM tenants ORDER BY id", r -> new String[]{r.getString(1), r.getString(2)}))
                .stream().collect(TreeMap::new, (m, row) -> m.put(row[0], row[1]), Map::putAll);
        Map<String, long[]> byStatus = new TreeMap<>();
        Map<String, long[]> certs = new TreeMap<>();
        mounts.keySet().forEach(t -> {
            byStatus.put(t, new long[2]);
            certs.put(t, new long[3]);
        });
        transactions.executeRead(s -> {
            Connection c = s.getConnection();
            for (Object[] row : query(c, "SELECT tenant_id, status, COUNT(*) FROM agents GROUP BY tenant_id, status",
                    r -> new Object[]{r.getString(1), r.getString(2), r.getLong(3)})) {
                long[] counts = byStatus.computeIfAbsent((String) row[0], t -> new long[2]);
                counts["ACTIVE".equals(row[1]) ? 0 : 1] += (Long) row[2];
            }
            // One row per active agent: its current certificate's validity.
            for (Object[] row : query(c, "SELECT b.tenant_id, b.not_before, b.not_after FROM certificate_bindings b"
                            + " JOIN agents a ON a.id = b.agent_id WHERE b.status = 'CURRENT' AND a.status = 'ACTIVE'",
                    r -> new Object[]{r.getString(1), r.getTimestamp(2).toInstant(), r.getTimestamp(3).toInstant()})) {
                long[] counts = certs.computeIfAbsent((String) row[0], t -> new long[3]);
                Instant notBefore = (Instant) row[1];
                Instant notAfter = (Instant) row[2];
                if (notAfter.isAfter(now) && !notAfter.isAfter(now.plus(DAY))) {
                    counts[0]++;
                }
                if (notAfter.isAfter(now) && !notAfter.isAfter(now.plus(WEEK))) {
                    counts[1]++;
                }
                if (now.isAfter(notBefore.plus(Duration.between(notBefore, notAfter).multipliedBy(2).dividedBy(3)))) {
                    counts[2]++;
                }
            }
            return null;
        });
        List<MultiGauge.Row<?>> agentRows = new ArrayList<>();
        List<MultiGauge.Row<?>> expiringRows = new ArrayList<>();
        List<MultiGauge.Row<?>> overdueRows = new ArrayList<>();
        byStatus.forEach((t, n) -> {
            agentRows.add(MultiGauge.Row.of(Tags.of("tenant", t, "status", "active"), n[0]));
            agentRows.add(MultiGauge.Row.of(Tags.of("tenant", t, "status", "revoked"), n[1]));
        });
        certs.forEach((t, n) -> {
            expiringRows.add(MultiGauge.Row.of(Tags.of("tenant", t, "within", "24h"), n[0]));
            expiringRows.add(MultiGauge.Row.of(Tags.of("tenant", t, "within", "7d"), n[1]));
            overdueRows.add(MultiGauge.Row.of(Tags.of("tenant", t), n[2]));
        });
        agents.register(agentRows, true);
        expiring.register(expiringRows, true);
        overdue.register(overdueRows, true);

        List<MultiGauge.Row<?>> headRows = new ArrayList<>();
        List<MultiGauge.Row<?>> validRows = new ArrayList<>();
        for (AuditChainHead head : audit.heads()) {
            headRows.add(MultiGauge.Row.of(Tags.of("tenant", head.chain()), head.seq()));
            boolean valid = audit.verifyTail(head, properties.getAuditTailEvents());
            if (!valid) {
                LOG.error("Audit chain {}: its latest events up to seq {} do not verify; run the full verification",
                        head.chain(), head.seq());
            }
            validRows.add(MultiGauge.Row.of(Tags.of("tenant", head.chain()), valid ? 1 : 0));
        }
        chainHead.register(headRows, true);
        chainValid.register(validRows, true);

        List<MultiGauge.Row<?>> caRows = new ArrayList<>();
        mounts.forEach((tenant, mount) -> {
            try {
                List<X509Certificate> chain = pki.caChain(mount);
                if (!chain.isEmpty()) {
                    caNotAfter.put(tenant, chain.get(0).getNotAfter().toInstant());
                }
            } catch (RuntimeException e) {
                LOG.debug("CA chain of {} unreadable ({}); keeping its last expiry", tenant, e.toString());
            }
            Instant notAfter = caNotAfter.get(tenant);
            if (notAfter != null) {
                caRows.add(MultiGauge.Row.of(Tags.of("tenant", tenant), Duration.between(now, notAfter).toSeconds()));
            }
        });
        caExpiry.register(caRows, true);
        refreshedAt = clock.instant().getEpochSecond();
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private static <T> List<T> query(Connection c, String sql, RowReader<T> reader) {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet r = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(reader.read(r));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
