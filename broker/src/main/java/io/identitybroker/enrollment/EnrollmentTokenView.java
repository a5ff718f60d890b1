package io.identitybroker.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.identitybroker.agent.TokenAttributes;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An enrollment token as the API shows it; {@code token} is present only in the issuing response
 * (the secret exists nowhere else). Every other field is always present, {@code agent_name} as null when unset.
 */
public record EnrollmentTokenView(String id, String tenant, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String token,
                                  @Nullable String agentName,
                                  Map<String, String> labels, List<String> scopes, int maxUses, int uses,
                                  String status, Instant expiresAt, Instant createdAt, String createdBy) {

    static EnrollmentTokenView of(EnrollmentToken t, @Nullable String secret, Instant now) {
        return new EnrollmentTokenView(t.id(), t.tenantId(), secret, t.agentName(), TokenAttributes.labels(t.labels()),
                TokenAttributes.scopeList(t.scopes()), t.maxUses(), t.uses(), t.status(now), t.expiresAt(),
                t.createdAt(), t.createdBy());
    }
}
