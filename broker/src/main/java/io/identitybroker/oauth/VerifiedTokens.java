package io.identitybroker.oauth;

import io.identitybroker.cache.ExpiringCache;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;

/**
 * Tokens that passed every check of {@link CertificateBoundTokenVerifier}, keyed by the SHA-256
 * of the token ({@code SecretTokens.hash}; the token itself is never kept). A signature over
 * fixed bytes verifies the same way every time, so a hit skips the ES256 verification (about a
 * millisecond of CPU on JDK 17) while the checks that can change are redone: expiry (each entry
 * ends with its token, leeway included), and that the signing key is still one the key set trusts.
 * Only successes are cached, so forged tokens cannot fill it; bounded, it is swept of expired
 * entries and, still full, emptied ({@link ExpiringCache}).
 */
final class VerifiedTokens {
    private record Entry(AccessToken token, ECPublicKey key) {
    }

    private final ExpiringCache<String, Entry> entries;
    private final Duration leeway;

    VerifiedTokens(int maxEntries, Duration leeway, Clock clock) {
        // The lifetime is each token's own (put with its expiry); the cache-wide one is unused.
        this.entries = new ExpiringCache<>(Duration.ZERO, maxEntries, clock);
        this.leeway = leeway;
    }

    /** The verified token, or null when it is not cached, has expired, or its key is no longer trusted. */
    AccessToken get(String digest, VerificationKeys keys) {
        Entry e = entries.getIfPresent(digest);
        if (e == null) {
            return null;
        }
        if (!keys.key(e.token().kid()).map(e.key()::equals).orElse(false)) {
            entries.remove(digest);
            return null;
        }
        return e.token();
    }

    void put(String digest, AccessToken token, ECPublicKey key) {
        entries.put(digest, new Entry(token, key), token.expiresAt().plus(leeway));
    }

    int size() {
        return entries.size();
    }
}
