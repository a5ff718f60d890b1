package io.identitybroker.enrollment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** An enrollment token as stored: only the hash of its secret. */
@MappedEntity("enrollment_tokens")
public record EnrollmentToken(@Id String id, String tenantId, String tokenHash, @Nullable String agentName,
                              String labels, String scopes, int maxUses, int uses, Instant expiresAt,
                              @Nullable Instant revokedAt, Instant createdAt, String createdBy) {

    /** Why this token cannot be redeemed at {@code now}, or null when it can. */
    String unusableReason(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (!now.isBefore(expiresAt)) {
            return "expired";
        }
        if (uses >= maxUses) {
            return "spent";
        }
        return null;
    }

    String status(Instant now) {
        String reason = unusableReason(now);
        return reason == null ? "active" : reason;
    }
}
