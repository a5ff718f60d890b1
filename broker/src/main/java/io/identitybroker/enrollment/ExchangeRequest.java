package io.identitybroker.enrollment;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** {@code POST /api/v1/agent-enrollment/exchange}: the one-time token and a PEM CSR. */
@Introspected
public record ExchangeRequest(@Nullable String token, @Nullable String csr) {
    /** Never print the token. */
    @Override
    public String toString() {
        return "ExchangeRequest[token=<redacted>, csr=" + (csr == null ? 0 : csr.length()) + " chars]";
    }
}
