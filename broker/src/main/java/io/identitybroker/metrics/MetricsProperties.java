package io.identitybroker.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code broker.metrics.*}: how often the inventory gauges are recomputed and how many of each
 * audit chain's latest events are re-verified each time.
 */
@ConfigurationProperties("broker.metrics")
public class MetricsProperties {
    private Duration inventoryInterval = Duration.ofSeconds(60);
    private int auditTailEvents = 1000;

    public Duration getInventoryInterval() {
        return inventoryInterval;
    }

    public void setInventoryInterval(Duration inventoryInterval) {
        this.inventoryInterval = inventoryInterval;
    }

    public int getAuditTailEvents() {
        return auditTailEvents;
    }

    public void setAuditTailEvents(int auditTailEvents) {
        if (auditTailEvents < 1) {
            throw new IllegalArgumentException("broker.metrics.audit-tail-events must be at least 1");
        }
        this.auditTailEvents = auditTailEvents;
    }
}
