package io.identitybroker.ibagent;

/**
 * The broker answered, and refused: HTTP status, the problem type's last segment (or the OAuth2
 * {@code error}), and its detail. {@link #transientFailure()} tells a retry-later (5xx, 429) from a
 * refusal that retrying will not change.
 */
public final class BrokerException extends Exception {
    private final int status;
    private final String type;

    public BrokerException(int status, String type, String detail) {
        super(status + " " + type + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public boolean transientFailure() {
        return status >= 500 || status == 429 || status == 408;
    }

    /** The agent or its credentials were revoked: nothing but a new enrollment helps. */
    public boolean revoked() {
        return "client_certificate_revoked".equals(type) || "invalid_agent_credentials".equals(type);
    }

    /**
     * The certificate presented is no longer the agent's current one: the broker rotated it (an
     * answer lost in transit, or another process with the same files), so it cannot rotate again.
     */
    public boolean superseded() {
        return "rotation_conflict".equals(type);
    }

    public boolean expired() {
        return "client_certificate_expired".equals(type);
    }
}
