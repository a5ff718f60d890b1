package io.identitybroker.federation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/** Request bodies of the external client API (snake_case on the wire). */
public final class ExternalClientRequests {
    private ExternalClientRequests() {
    }

    /** {@code POST /api/v1/tenants/{tenant}/external-clients}. */
    @Introspected
    public record Register(@Nullable String spiffeId, @Nullable String name, @Nullable List<String> scopes,
                           @Nullable Map<String, String> labels) {
    }

    /** {@code PATCH /api/v1/tenants/{tenant}/external-clients/{client_id}}: any subset; the SPIFFE ID never changes. */
    @Introspected
    public record Change(@Nullable String name, @Nullable List<String> scopes, @Nullable Map<String, String> labels) {
    }
}
