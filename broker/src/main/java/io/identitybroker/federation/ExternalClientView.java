package io.identitybroker.federation;

import io.identitybroker.agent.TokenAttributes;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An external client as the admin API shows it; {@code client_id} is what it sends to the token endpoint. */
public record ExternalClientView(String clientId, String tenant, String trustDomain, String spiffeId, @Nullable String name,
                                 Map<String, String> labels, List<String> scopes, List<String> tokenEndpointAuthMethods,
                                 Instant createdAt, Instant updatedAt) {
    static ExternalClientView of(ExternalClient c, List<String> methods) {
        return new ExternalClientView(c.id(), c.tenantId(), c.trustDomain(), c.spiffeId(), c.name(),
                TokenAttributes.labels(c.labels()), TokenAttributes.scopeList(c.scopes()), methods, c.createdAt(), c.updatedAt());
    }
}
