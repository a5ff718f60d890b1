package io.identitybroker.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An agent as the admin API shows it (never the secret or its hash). */
public record AgentView(String agentId, String tenant, @Nullable String name, String spiffeId, String status,
                        Map<String, String> labels, List<String> scopes, Instant createdAt,
                        @Nullable Instant revokedAt, List<BindingView> certificates) {

    /** A binding as the admin API shows it. */
    public record BindingView(String serialNumber, @JsonProperty("x5t#S256") String x5tS256, String status,
                              Instant notBefore, Instant notAfter, @Nullable Instant graceUntil) {
    }

    static AgentView of(Agent a, List<CertificateBinding> bindings) {
        return new AgentView(a.id(), a.tenantId(), a.name(), a.spiffeId(), a.status().name().toLowerCase(),
                TokenAttributes.labels(a.labels()), TokenAttributes.scopeList(a.scopes()), a.createdAt(), a.revokedAt(),
                bindings.stream().map(b -> new BindingView(b.serialNumber(), b.x5tS256(), b.status().name().toLowerCase(),
                        b.notBefore(), b.notAfter(), b.graceUntil())).toList());
    }
}
