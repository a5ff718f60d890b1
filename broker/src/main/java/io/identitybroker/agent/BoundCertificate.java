package io.identitybroker.agent;

import java.time.Instant;

/**
 * A certificate binding together with its agent's status: what deciding "does this thumbprint
 * still stand for this agent" needs (token introspection).
 */
public record BoundCertificate(CertificateBinding binding, AgentStatus agentStatus) {

    public String agentId() {
        return binding.agentId();
    }

    public String tenantId() {
        return binding.tenantId();
    }

    /**
     * True while the agent is not revoked, the certificate has not expired, and the binding is
     * accepted as the agent-route mTLS check accepts it ({@link CertificateBinding#acceptedAt}:
     * current, or previous inside its rotation grace window).
     */
    public boolean acceptedAt(Instant now) {
        return agentStatus == AgentStatus.ACTIVE && now.isBefore(binding.notAfter()) && binding.acceptedAt(now);
    }
}
