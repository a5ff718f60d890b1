package io.identitybroker.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A small bounded map whose entries expire; enough for per-token authorization results. */
final class ExpiringCache<K, V> {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    ExpiringCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    V get(K key, Function<K, V> loader) {
        V cached = getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        V value = loader.apply(key);
        put(key, value);
        return value;
    }

    V getIfPresent(K key) {
        Entry<V> entry = entries.get(key);
        return entry != null && clock.instant().isBefore(entry.expiresAt()) ? entry.value() : null;
    }

    void put(K key, V value) {
        if (ttl.isZero() || value == null) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
    }
}
