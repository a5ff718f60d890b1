package io.identitybroker.ibagent;

import java.time.Instant;

/**
 * One line per event on standard error, timestamped (systemd and kubectl logs pick it up).
 * Callers pass no key, secret or token: messages carry serials, times and problem types only.
 */
public final class Log {
    private Log() {
    }

    public static void info(String message) {
        line("INFO", message);
    }

    public static void warn(String message) {
        line("WARN", message);
    }

    public static void error(String message) {
        line("ERROR", message);
    }

    private static synchronized void line(String level, String message) {
        System.err.println(Instant.now() + " " + level + " ib-agent: " + message);
        System.err.flush();
    }
}
