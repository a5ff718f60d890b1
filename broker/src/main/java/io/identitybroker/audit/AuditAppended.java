package io.identitybroker.audit;

import io.micronaut.core.annotation.Nullable;

/**
 * Published (as an application event) for every event appended to a chain, inside the appending
 * transaction: listeners that must see only committed events use
 * {@code @TransactionalEventListener}. It carries labels only, never details or subjects.
 *
 * @param chain   the chain ({@link AuditLog#SYSTEM_CHAIN} when no tenant could be attributed)
 * @param type    the event type, e.g. {@code agent.enrolled}
 * @param outcome {@link AuditRecord#SUCCESS} or {@link AuditRecord#FAILURE}
 * @param reason  the failure's reason code; null on success
 */
public record AuditAppended(String chain, String type, String outcome, @Nullable String reason) {
}
