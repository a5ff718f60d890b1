package io.identitybroker.cache;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExpiringCacheTest {
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    @Test
    void anEntryIsReusedUntilItsLifetimeEndsAndNotAtItsEnd() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(30), 10, clock);
        AtomicInteger loads = new AtomicInteger();
        assertEquals("v", cache.get("k", k -> { loads.incrementAndGet(); return "v"; }));
        clock.now = clock.now.plusSeconds(29);
        assertEquals("v", cache.get("k", k -> "v" + loads.incrementAndGet()));
        assertEquals(1, loads.get());
        clock.now = clock.now.plusSeconds(1);
        assertNull(cache.getIfPresent("k"));
        assertEquals("v2", cache.get("k", k -> "v" + loads.incrementAndGet()));
    }

    @Test
    void aZeroLifetimeKeepsNothing() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ZERO, 10, clock);
        cache.put("k", "v");
        assertNull(cache.getIfPresent("k"));
        assertEquals(0, cache.size());
    }

    @Test
    void aFailingLoaderIsNeverRememberedAsAnAnswer() {
        ExpiringCache<String, Boolean> cache = new ExpiringCache<>(Duration.ofSeconds(30), 10, clock);
        assertThrows(IllegalStateException.class, () -> cache.get("k", k -> {
            throw new IllegalStateException("Vault is sealed");
        }));
        assertNull(cache.getIfPresent("k"));
        assertEquals(false, cache.get("k", k -> false));
    }

    @Test
    void whenFullExpiredEntriesGoFirstAndThenEverything() {
        ExpiringCache<Integer, String> cache = new ExpiringCache<>(Duration.ofSeconds(30), 3, clock);
        cache.put(1, "a", clock.now.plusSeconds(1));
        cache.put(2, "b");
        cache.put(3, "c");
        clock.now = clock.now.plusSeconds(2);
        cache.put(4, "d"); // 1 has expired: it makes room
        assertEquals(3, cache.size());
        assertEquals("b", cache.getIfPresent(2));
        cache.put(5, "e"); // nothing expired: emptied, never over the bound
        assertEquals(1, cache.size());
        assertEquals("e", cache.getIfPresent(5));
    }

    @Test
    void anEntryPutWithItsOwnEndExpiresThen() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ZERO, 10, clock);
        cache.put("token", "verified", clock.now.plusSeconds(5));
        assertEquals("verified", cache.getIfPresent("token"));
        clock.now = clock.now.plusSeconds(5);
        assertNull(cache.getIfPresent("token"));
    }
}
