package io.identitybroker.oauth;

import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/**
 * Where a verifier finds the ES256 key named by a token's {@code kid}. Keys come only from here,
 * never from the token's own headers ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}).
 */
@FunctionalInterface
public interface VerificationKeys {
    /** The key with this {@code kid}, or empty when there is none (the token is then rejected). */
    Optional<ECPublicKey> key(String kid);
}
