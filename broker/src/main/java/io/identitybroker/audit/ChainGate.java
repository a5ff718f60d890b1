package io.identitybroker.audit;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One JVM lock per audit chain, taken before the chain's head row is locked in the database and
 * released as the appending transaction begins to complete, just before its database commit or
 * rollback. It only thins out the queue at the database: the next appender then waits for the row
 * lock while that commit runs, and no longer while the commit becomes durable (H2's group commit
 * waits for a store after the commit, which is how concurrent appends share one store). When the
 * wait exceeds {@link #PATIENCE} the append goes on without it and the row lock alone
 * serialises, as it does between replicas.
 * <p>
 * Its map holds one lock per chain for the life of the broker (chains are few: one per tenant and
 * the platform's); it is a lock table, not a cache: an entry must never expire or be evicted while
 * a transaction holds it, so {@code cache.ExpiringCache} is the wrong tool here.
 */
final class ChainGate {
    /** Longer than any append-to-commit should take; the database's own lock timeout still applies after it. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final TransactionOperations<Connection> transactions;

    ChainGate(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** Waits for the chain's lock and hands it to the current transaction, which releases it as it completes. */
    void enter(String chain) {
        TransactionStatus<?> tx = transactions.findTransactionStatus()
                .orElseThrow(() -> new IllegalStateException("audit appends run inside a transaction"));
        ReentrantLock lock = locks.computeIfAbsent(chain, c -> new ReentrantLock(true));
        boolean held;
        try {
            held = lock.tryLock(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            held = false;
        }
        if (!held) {
            return;
        }
        try {
            // Synchronous transactions complete on the thread that began them, which holds the lock.
            tx.registerSynchronization(new Release(lock));
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** Releases the lock once, before the commit or rollback (or after it, if the first hook never ran). */
    private static final class Release implements TransactionSynchronization {
        private final ReentrantLock lock;
        private boolean released;

        Release(ReentrantLock lock) {
            this.lock = lock;
        }

        @Override
        public void beforeCompletion() {
            release();
        }

        @Override
        public void afterCompletion(Status status) {
            release();
        }

        private void release() {
            if (!released) {
                released = true;
                lock.unlock();
            }
        }
    }
}
