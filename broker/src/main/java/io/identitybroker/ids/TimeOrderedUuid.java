package io.identitybroker.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, then 74 random bits.
 * Row ids minted with it sort by creation time, so an insert touches the last page of the
 * primary-key index (and of indexes that start with such an id) rather than a random one: with
 * random version-4 ids, sustained enrollment rewrote nearly every leaf page of those indexes at
 * each H2 commit, and PostgreSQL pays the same in full-page writes. The ids are identifiers, not
 * secrets; they reveal their creation time to the millisecond, which the rows carry anyway.
 */
public final class TimeOrderedUuid {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedUuid() {
    }

    public static String next() {
        return next(Clock.systemUTC()).toString();
    }

    static UUID next(Clock clock) {
        long millis = clock.millis();
        long random = RANDOM.nextLong();
        long randA = RANDOM.nextInt() & 0xFFFL;
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = random & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
