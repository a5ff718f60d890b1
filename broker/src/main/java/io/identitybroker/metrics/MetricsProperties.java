package io.identitybroker.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code broker.metrics.*}: how many of each audit chain's latest events every inventory refresh
 * re-verifies. (The refresh interval, {@code broker.metrics.inventory-interval}, is read by the
 * schedule itself.) A value below 1 stops the start.
 */
@ConfigurationProperties("broker.metrics")
public class MetricsProperties {
    private int auditTailEvents = 1000;

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
