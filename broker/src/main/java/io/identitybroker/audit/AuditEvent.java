package io.identitybroker.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A stored audit event. {@code hash} is SHA-256 over {@code prev_hash} and the canonical form of
 * every other field, so changing any stored value breaks the chain at this event.
 */
@MappedEntity("audit_events")
public record AuditEvent(@Id String id, String chain, long seq, Instant at, @Nullable String tenant,
                         String type, String actor, @Nullable String subject, String outcome,
                         String correlationId, String details, String prevHash, String hash) {
}
