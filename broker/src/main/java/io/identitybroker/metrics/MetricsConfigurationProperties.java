package io.identitybroker.metrics;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.identitybroker.vault.VaultConfigurationProperties;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@link MetricsConfiguration} from {@code broker.metrics.*}. The intervals are read by the
 * schedules themselves ({@code @Scheduled} expressions built from {@link #PREFIX} and the defaults
 * here) and validated here, so a zero or negative interval stops the start instead of the scheduler.
 */
@Context
@ConfigurationProperties(MetricsConfigurationProperties.PREFIX)
public class MetricsConfigurationProperties implements MetricsConfiguration {
    public static final String PREFIX = "broker.metrics";
    public static final int DEFAULT_AUDIT_TAIL_EVENTS = 1000;
    public static final String DEFAULT_INVENTORY_INTERVAL = "60s";

    @Min(1)
    private int auditTailEvents = DEFAULT_AUDIT_TAIL_EVENTS;
    @NotNull
    @DurationMin("1ms")
    private Duration inventoryInterval = Settings.duration(DEFAULT_INVENTORY_INTERVAL);
    @NotNull
    @DurationMin("1ms")
    private Duration vaultProbeInterval = Settings.duration(VaultConfigurationProperties.DEFAULT_PROBE_INTERVAL);

    @Override
    public int getAuditTailEvents() { return auditTailEvents; }
    public void setAuditTailEvents(int auditTailEvents) { this.auditTailEvents = auditTailEvents; }
    @Override
    public Duration getInventoryInterval() { return inventoryInterval; }
    public void setInventoryInterval(Duration inventoryInterval) { this.inventoryInterval = inventoryInterval; }
    @Override
    public Duration getVaultProbeInterval() { return vaultProbeInterval; }
    public void setVaultProbeInterval(Duration vaultProbeInterval) { this.vaultProbeInterval = vaultProbeInterval; }
}
