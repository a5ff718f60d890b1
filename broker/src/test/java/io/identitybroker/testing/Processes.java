package io.identitybroker.testing;

import java.util.concurrent.TimeUnit;

/** Ending the helper processes tests start (brokers, Go peers). */
public final class Processes {
    private Processes() {
    }

    /** SIGTERM, then SIGKILL if it has not exited within 10 s; keeps the caller's interrupt. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
