package io.identitybroker.agent;

/** An agent is active until an admin revokes it; revocation is final. */
public enum AgentStatus {
    ACTIVE, REVOKED
}
