package io.identitybroker.agent;

/** The role of a certificate for its agent. */
public enum BindingStatus {
    /** The certificate the agent uses now. */
    CURRENT,
    /** Replaced by a rotation; still accepted until its grace ends. */
    PREVIOUS,
    /** No longer accepted, and revoked in Vault. */
    REVOKED
}
