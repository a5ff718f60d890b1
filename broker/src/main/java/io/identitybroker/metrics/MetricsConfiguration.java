package io.identitybroker.metrics;

import java.time.Duration;

/** Metrics settings ({@value MetricsConfigurationProperties#PREFIX}.*). */
public interface MetricsConfiguration {
    /** How many of each audit chain's latest events every inventory refresh re-verifies. */
    int getAuditTailEvents();

    /** How often the per-tenant inventory gauges are recomputed from the database (never per scrape). */
    Duration getInventoryInterval();

    /** How often {@code broker.vault.up} / {@code broker.vault.sealed} are re-checked (read by vault/VaultProbe's schedule). */
    Duration getVaultProbeInterval();
}
