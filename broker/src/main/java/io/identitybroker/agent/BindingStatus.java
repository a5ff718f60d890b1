package io.identitybroker.agent;

import java.time.Instant;

/** The role of a certificate for its agent. */
public enum BindingStatus {
    /** The certificate the agent uses now. */
    CURRENT,
    /** Replaced by a rotation; still accepted until its grace ends. */
    PREVIOUS,
    /** No longer accepted, and revoked in Vault. */
    REVOKED;

    /** Whether a binding in this status, with this grace end, identifies its agent at {@code now}. */
    public boolean acceptsAt(Instant graceUntil, Instant now) {
        return this == CURRENT || (this == PREVIOUS && graceUntil != null && now.isBefore(graceUntil));
    }
}
