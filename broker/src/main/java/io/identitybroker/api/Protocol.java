package io.identitybroker.api;

/**
 * The wire protocol a request for an identity arrived by. Enrollment and rotation have one
 * implementation each; the protocol only changes how requests and answers are encoded, what the
 * audit events record as their {@code protocol} detail, and what the answer can carry.
 */
public enum Protocol {
    /** The broker's own JSON API ({@code /api/v1/...}). */
    JSON("json", true),
    /** Enrollment over Secure Transport, RFC 7030 ({@code /.well-known/est/...}). */
    EST("est", false);

    private final String detail;
    private final boolean carriesAgentSecret;

    Protocol(String detail, boolean carriesAgentSecret) {
        this.detail = detail;
        this.carriesAgentSecret = carriesAgentSecret;
    }

    /** The value of the audit detail {@code protocol}. */
    public String detail() {
        return detail;
    }

    /**
     * Whether the enrollment answer can hand the agent a secret. EST's answer is a certificate and
     * nothing else, so an agent enrolled over EST has no secret: its certificate is its credential.
     */
    public boolean carriesAgentSecret() {
        return carriesAgentSecret;
    }
}
