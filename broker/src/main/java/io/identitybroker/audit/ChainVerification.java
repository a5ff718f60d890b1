package io.identitybroker.audit;

import io.micronaut.core.annotation.Nullable;

/**
 * The outcome of recomputing a chain and comparing its tail with the anchored head.
 *
 * @param valid         every link holds and the chain reaches the anchored head (when one could be read)
 * @param lastSeq       the last sequence number verified (0 for an empty chain); with {@code lastHash}
 *                      it lets a caller remember the head it saw and notice a later truncation itself
 * @param lastHash      the hash of that event (64 zeros for an empty chain)
 * @param brokenAtSeq   the sequence number of the first event that fails, when {@code valid} is false
 * @param anchor        how the verified tail compares with the head anchored outside the database:
 *                      {@code matches}, {@code truncated} (the anchor is beyond the chain's last event),
 *                      {@code diverged} (the event at the anchored seq has another hash), {@code none}
 *                      (nothing anchored yet) or {@code unavailable} (the anchor store could not be read)
 */
public record ChainVerification(String chain, boolean valid, long eventsChecked,
                                long lastSeq, String lastHash,
                                @Nullable Long brokenAtSeq, @Nullable String brokenEventId,
                                String anchor, @Nullable Long anchoredSeq, @Nullable String anchoredHash) {
}
