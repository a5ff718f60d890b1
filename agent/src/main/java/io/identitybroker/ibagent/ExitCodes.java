package io.identitybroker.ibagent;

/** The exit codes of every command (also listed by {@code --help} and in docs/agent.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** Unexpected failure (I/O error, bad file); the message says what. */
    public static final int ERROR = 1;
    /** Wrong command-line usage. */
    public static final int USAGE = 2;
    /** The broker could not be reached or is unavailable (5xx): try again later. */
    public static final int UNAVAILABLE = 3;
    /** The identity expired: enroll again with a new enrollment token. */
    public static final int EXPIRED = 4;
    /** The agent (or its secret) was revoked: enroll again with a new enrollment token. */
    public static final int REVOKED = 5;
    /** The broker refused the request (invalid enrollment token, rejected CSR, unknown scope ...). */
    public static final int REFUSED = 6;
    /** status: there is a valid identity but no daemon is running on the directory. */
    public static final int NOT_RUNNING = 7;
    /** No identity in the directory: run enroll. */
    public static final int NOT_ENROLLED = 8;

    private ExitCodes() {
    }

    /** The exit code for a broker refusal. */
    public static int of(BrokerException e) {
        if (e.revoked()) {
            return REVOKED;
        }
        if (e.expired()) {
            return EXPIRED;
        }
        return e.transientFailure() ? UNAVAILABLE : REFUSED;
    }
}
