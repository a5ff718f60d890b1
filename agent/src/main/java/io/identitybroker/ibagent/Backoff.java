package io.identitybroker.ibagent;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time in [d/2, d] with
 * d = min(max, initial * 2^(n-1)); never so long that fewer than about three attempts remain
 * before {@code deadline} (floor 250 ms).
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    public Duration next(Instant now, Instant deadline) {
        failures++;
        long base = initial.toMillis() << Math.min(failures - 1, 20);
        long d = Math.min(max.toMillis(), base);
        long jittered = d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
        if (deadline != null) {
            long room = Duration.between(now, deadline).toMillis() / 3;
            jittered = Math.min(jittered, Math.max(250, room));
        }
        return Duration.ofMillis(Math.max(1, jittered));
    }

    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
