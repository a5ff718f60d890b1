package io.identitybroker.audit;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The last event of a chain; locked while appending so that replicas never fork a chain. */
@MappedEntity("audit_chain_heads")
public record AuditChainHead(@Id String chain, long seq, String hash) {
}
