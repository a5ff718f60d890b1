package io.identitybroker.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A certificate bound to an agent by its RFC 8705 thumbprint. The certificate itself is not stored.
 *
 * @param graceUntil             for a PREVIOUS binding: until when it is still accepted
 * @param revocationClaimedUntil a replica revoking this (grace-expired) binding in Vault holds it until then
 */
@MappedEntity("certificate_bindings")
public record CertificateBinding(@Id String id, String agentId, String tenantId, String serialNumber,
                                 String x5tS256, Instant notBefore, Instant notAfter, BindingStatus status,
                                 @Nullable Instant graceUntil, Instant createdAt, @Nullable Instant revokedAt,
                                 @Nullable Instant revocationClaimedUntil) {

    /** Whether presenting this certificate identifies its agent at {@code now}. */
    public boolean acceptedAt(Instant now) {
        return status.acceptsAt(graceUntil, now);
    }
}
