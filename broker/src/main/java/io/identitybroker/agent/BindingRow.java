package io.identitybroker.agent;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** The row of {@link CertificateBindingRepository#boundCertificate}; statuses as stored. */
@Introspected
record BindingRow(String agentId, String tenantId, String agentStatus, String bindingStatus,
                  @Nullable Instant graceUntil, Instant notAfter) {
}
