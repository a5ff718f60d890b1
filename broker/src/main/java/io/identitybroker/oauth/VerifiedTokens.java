package io.identitybroker.oauth;

import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed every check of {@link CertificateBoundTokenVerifier}, keyed by the SHA-256
 * of the token ({@code SecretTokens.hash}; the token itself is never kept). A signature over
 * fixed bytes verifies the same way every time, so a hit skips the ES256 verification (about a
 * millisecond of CPU on JDK 17) while the checks that can change are redone: expiry, and that the
 * signing key is still one the key set trusts. Only successes are cached, so forged tokens cannot fill it; bounded, it is
 * swept of expired entries and, still full, emptied.
 */
final class VerifiedTokens {
    private record Entry(AccessToken token, ECPublicKey key) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;

    VerifiedTokens(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** The verified token, or null when it is not cached, has expired, or its key is no longer trusted. */
    AccessToken get(String digest, VerificationKeys keys, Instant now, Duration leeway) {
        Entry e = entries.get(digest);
        if (e == null) {
            return null;
        }
        if (!now.isBefore(e.token().expiresAt().plus(leeway)) || !keys.key(e.token().kid()).map(e.key()::equals).orElse(false)) {
            entries.remove(digest, e);
            return null;
        }
        return e.token();
    }

    void put(String digest, AccessToken token, ECPublicKey key, Instant now, Duration leeway) {
        if (entries.size() >= maxEntries) {
            sweep(now, leeway);
        }
        entries.put(digest, new Entry(token, key));
    }

    int size() {
        return entries.size();
    }

    private synchronized void sweep(Instant now, Duration leeway) {
        if (entries.size() < maxEntries) {
            return;
        }
        entries.values().removeIf(e -> !now.isBefore(e.token().expiresAt().plus(leeway)));
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
    }
}
