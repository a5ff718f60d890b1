package io.identitybroker.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded map whose entries expire, for answers that may be reused for a while (authorization
 * results, verified tokens, a mount's URLs, recent lookups).
 * <p>
 * Invariants: an entry is never returned at or after its expiry; a lifetime of zero stores nothing;
 * null is never stored; the map never holds more than {@code maxEntries}: when full, expired
 * entries are dropped and, if it is still full, everything is (a burst of distinct keys costs
 * lookups, never memory). Failure: a loader that throws stores nothing and the exception reaches
 * the caller, so a failed lookup (Vault down) is never remembered as an answer.
 */
public final class ExpiringCache<K, V> {
    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    /**
     * @param ttl        how long {@link #put(Object, Object)} keeps an entry; zero: nothing is kept
     * @param maxEntries the most entries held, at least 1
     */
    public ExpiringCache(Duration ttl, int maxEntries, Clock clock) {
        if (ttl.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("ttl must not be negative and maxEntries must be positive");
        }
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The live entry, else {@code loader}'s value, stored unless null; a loader's exception stores nothing. */
    public V get(K key, Function<K, V> loader) {
        V cached = getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        V value = loader.apply(key);
        put(key, value);
        return value;
    }

    /** The value, or null when absent or expired. */
    public V getIfPresent(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(key, entry);
            return null;
        }
        return entry.value();
    }

    /** Keeps {@code value} for the cache's lifetime. */
    public void put(K key, V value) {
        if (!ttl.isZero()) {
            put(key, value, clock.instant().plus(ttl));
        }
    }

    /** Keeps {@code value} until {@code expiresAt} (an entry's own end, e.g. a token's expiry). */
    public void put(K key, V value, Instant expiresAt) {
        if (value == null || !clock.instant().isBefore(expiresAt)) {
            return;
        }
        if (entries.size() >= maxEntries) {
            makeRoom();
        }
        entries.put(key, new Entry<>(value, expiresAt));
    }

    public void remove(K key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    private synchronized void makeRoom() {
        if (entries.size() < maxEntries) {
            return;
        }
        Instant now = clock.instant();
        entries.values().removeIf(e -> !now.isBefore(e.expiresAt()));
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
    }
}
