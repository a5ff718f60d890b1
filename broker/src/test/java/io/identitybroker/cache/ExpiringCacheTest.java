package io.identitybroker.cache;

import io.identitybroker.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExpiringCacheTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void anEntryIsReusedUntilItsLifetimeEndsAndNotAtItsEnd() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(30), 10, clock);
        AtomicInteger loads = new AtomicInteger();
        assertEquals("v", cache.get("k", k -> {
            loads.incrementAndGet();
            return "v";
        }));
        clock.advance(Duration.ofSeconds(29));
        assertEquals("v", cache.get("k", k -> "v" + loads.incrementAndGet()));
        assertEquals(1, loads.get());
        clock.advance(Duration.ofSeconds(1));
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
        cache.put(1, "a", clock.instant().plusSeconds(1));
        cache.put(2, "b");
        cache.put(3, "c");
        clock.advance(Duration.ofSeconds(2));
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
        cache.put("token", "verified", clock.instant().plusSeconds(5));
        assertEquals("verified", cache.getIfPresent("token"));
        clock.advance(Duration.ofSeconds(5));
        assertNull(cache.getIfPresent("token"));
    }
}
