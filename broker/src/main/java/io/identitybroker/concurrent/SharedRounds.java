package io.identitybroker.concurrent;

import java.util.function.Supplier;

/**
 * One round of work shared by every caller that arrived before it started: a store of the
 * database, a health probe of Vault. {@link #await} returns the outcome of a round that
 * <em>started after the call</em>, running it itself when none is running, else waiting for the
 * next one; so at most one round runs at a time, and under load one round serves many callers.
 *
 * <p>A caller gets the outcome of the latest finished round, which started after its arrival
 * whichever round covered it. A round reports failure in its outcome; if it throws anyway, the
 * exception reaches every caller that round covered.
 */
public final class SharedRounds<T> {
    private long arrivals;
    private long doneUpTo;
    private boolean running;
    private T outcome;
    private RuntimeException thrown;

    /** The outcome of a round that started after this call. */
    public T await(Supplier<T> round) throws InterruptedException {
        long covers;
        synchronized (this) {
            long ticket = ++arrivals;
            while (true) {
                if (doneUpTo >= ticket) {
                    if (thrown != null) {
                        throw thrown;
                    }
                    return outcome;
                }
                if (!running) {
                    running = true;
                    covers = arrivals;
                    break;
                }
                wait();
            }
        }
        T value = null;
        RuntimeException failure = null;
        try {
            value = round.get();
            return value;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            synchronized (this) {
                doneUpTo = covers;
                outcome = value;
                thrown = failure;
                running = false;
                notifyAll();
            }
        }
    }
}
