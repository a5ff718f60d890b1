package io.identitybroker.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the broker keeps, outside its own database, the latest head (seq, hash) of each audit
 * chain it has seen, so that verification can tell a chain whose tail was cut off (the database
 * restored from an old backup, rows deleted by someone with table rights) from a chain that is
 * merely short. The implementation writes to Vault KV ({@code io.identitybroker.anchor}).
 */
public interface ChainAnchors {

    /**
     * @return the chain's last anchored head, empty when none was anchored yet
     * @throws RuntimeException when the store cannot be read (verification then reports the anchor unavailable)
     */
    Optional<Anchor> latest(String chain);

    /** A chain head as anchored: the event at {@code seq} has hash {@code hash}. */
    record Anchor(long seq, String hash, Instant anchoredAt) {
    }
}
