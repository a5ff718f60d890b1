package io.identitybroker.issuance;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A sign-and-bind in progress: the broker is about to ask Vault to sign {@code spiffeId} on
 * {@code pkiMount} for {@code agentId}. Exists from just before the Vault call until the
 * transaction that records the binding commits; {@code claimedUntil} is set only by a reconciler.
 *
 * @param kind {@code enrollment} or {@code rotation}
 */
@MappedEntity("issuance_intents")
public record IssuanceIntent(@Id String id, String kind, String tenantId, String pkiMount, String pkiRole, String agentId,
                             String spiffeId, @Nullable String enrollmentTokenId, Instant createdAt,
                             @Nullable Instant claimedUntil) {
    public static final String ENROLLMENT = "enrollment";
    public static final String ROTATION = "rotation";
}
