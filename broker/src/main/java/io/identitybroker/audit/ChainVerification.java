package io.identitybroker.audit;

import io.micronaut.core.annotation.Nullable;

/**
 * The outcome of recomputing a chain.
 *
 * @param brokenAtSeq the sequence number of the first event that fails, when {@code valid} is false
 */
public record ChainVerification(String chain, boolean valid, long eventsChecked,
                                @Nullable Long brokenAtSeq, @Nullable String brokenEventId) {
}
