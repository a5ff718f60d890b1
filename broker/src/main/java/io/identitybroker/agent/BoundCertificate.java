package io.identitybroker.agent;

import io.identitybroker.tenant.TenantStatus;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * Where a certificate thumbprint stands: its binding, its agent (id, SPIFFE ID, status) and its
 * tenant's status, read in one query by {@link AgentLookups} (token introspection asks this on
 * every request and caches nothing of it).
 */
public record BoundCertificate(String agentId, String tenantId, String spiffeId, BindingStatus bindingStatus, @Nullable Instant graceUntil,
                               Instant notAfter, AgentStatus agentStatus, TenantStatus tenantStatus) {

    /**
     * True while the tenant and agent are active, the certificate has not expired, and the binding
     * is accepted as the agent-route mTLS check accepts it ({@link CertificateBinding#acceptedAt}:
     * current, or previous inside its rotation grace window).
     */
    public boolean acceptedAt(Instant now) {
        return tenantStatus == TenantStatus.ACTIVE && agentStatus == AgentStatus.ACTIVE && now.isBefore(notAfter)
                && bindingStatus.acceptsAt(graceUntil, now);
    }
}
