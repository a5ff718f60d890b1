package io.identitybroker.spiffe;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Numbers bundle contents per trust domain: the same content keeps its number, new content gets
 * a strictly greater one, on every replica and across restarts. The first number is the current
 * Unix time in seconds and each change takes {@code max(previous + 1, now)}, so even a trust domain
 * whose row was lost (a restored database) does not go back below a number peers have already seen.
 * Database failures propagate: the caller keeps serving what it had.
 */
@Singleton
class TrustBundleSequences {
    private static final int ATTEMPTS = 5;

    private final TrustBundleRepository rows;
    private final Clock clock;

    TrustBundleSequences(TrustBundleRepository rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
    }

    long sequenceFor(String trustDomain, String contentSha256) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Optional<TrustBundleSequence> row = rows.findById(trustDomain);
            if (row.isEmpty()) {
                rows.insertFirst(trustDomain, contentSha256, now.getEpochSecond(), now);
                continue; // read back what won: ours, or a concurrent replica's
            }
            TrustBundleSequence current = row.get();
            if (current.contentSha256().equals(contentSha256)) {
                return current.sequence();
            }
            long next = Math.max(current.sequence() + 1, now.getEpochSecond());
            if (rows.advance(trustDomain, current.contentSha256(), current.sequence(), contentSha256, next, now) == 1) {
                return next;
            }
        }
        throw new IllegalStateException("the bundle sequence of " + trustDomain + " kept changing under this replica");
    }
}
