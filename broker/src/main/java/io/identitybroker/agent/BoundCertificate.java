package io.identitybroker.agent;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A certificate binding together with its agent's status: what deciding "does this thumbprint
 * still stand for this agent" needs, read in one indexed query.
 */
public record BoundCertificate(String agentId, String tenantId, AgentStatus agentStatus, BindingStatus bindingStatus,
                               @Nullable Instant graceUntil, Instant notAfter) {

    /**
     * True while the agent is active and the binding is current, or previous and inside its
     * rotation grace window, and the certificate has not expired.
     */
    public boolean acceptedAt(Instant now) {
        if (agentStatus != AgentStatus.ACTIVE || !now.isBefore(notAfter)) {
            return false;
        }
        return bindingStatus == BindingStatus.CURRENT
                || (bindingStatus == BindingStatus.PREVIOUS && graceUntil != null && now.isBefore(graceUntil));
    }
}
