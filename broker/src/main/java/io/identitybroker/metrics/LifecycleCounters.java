package io.identitybroker.metrics;

import io.identitybroker.audit.AuditAppended;
import io.identitybroker.audit.AuditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Counts lifecycle outcomes from the audit events that record them, after their transaction
 * commits: a rolled-back enrollment is not counted, and every counted one is in the audit trail.
 * {@code broker.audit.appends{tenant,type,outcome}} counts every event; the event types of
 * {@link #BY_TYPE} also count in their own counter with {@code tenant}, {@code outcome} and
 * {@code reason} ({@code none} on success). Labels are tenant ids, event types and reason codes,
 * all bounded; subjects (agent ids) never become labels. Counting cannot fail an append: it runs
 * after the commit.
 */
@Singleton
public class LifecycleCounters {
    /** Event type → counter name. */
    static final Map<String, String> BY_TYPE = Map.of(
            "agent.enrolled", "broker.enrollments",
            "agent.enrollment.failed", "broker.enrollments",
            "agent.certificate.rotated", "broker.certificate.rotations",
            "agent.certificate.revoked", "broker.certificate.revocations",
            "agent.revoked", "broker.agent.revocations",
            "agent.secret.rotated", "broker.secret.rotations",
            "agent.secret.revoked", "broker.secret.revocations");

    private final MeterRegistry registry;

    public LifecycleCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    @TransactionalEventListener(TransactionalEventListener.TransactionPhase.AFTER_COMMIT)
    public void onAppended(AuditAppended event) {
        Counter.builder("broker.audit.appends").description("audit events committed, by type and outcome")
                .tag("tenant", event.chain()).tag("type", event.type()).tag("outcome", event.outcome())
                .register(registry).increment();
        String name = BY_TYPE.get(event.type());
        if (name != null) {
            String reason = AuditRecord.SUCCESS.equals(event.outcome()) || event.reason() == null ? "none" : event.reason();
            Counter.builder(name).tag("tenant", event.chain()).tag("outcome", event.outcome()).tag("reason", reason)
                    .register(registry).increment();
        }
    }
}
