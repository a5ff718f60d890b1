package io.identitybroker.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * An enrolled agent. {@code secretVersion} is the compare-and-swap guard of secret rotation.
 */
@MappedEntity("agents")
public record Agent(@Id String id, String tenantId, @Nullable String name, String spiffeId, AgentStatus status,
                    String labels, String scopes, @Nullable String secretHash, int secretVersion,
                    String enrollmentTokenId, Instant createdAt, Instant updatedAt, @Nullable Instant revokedAt) {

    /**
     * Whether the agent never had a secret (it enrolled over EST, whose answer cannot carry one):
     * secret version 0 and no hash. An agent whose secret an admin revoked has version 2 or more.
     */
    public boolean enrolledWithoutSecret() {
        return secretVersion == 0 && secretHash == null;
    }
}
