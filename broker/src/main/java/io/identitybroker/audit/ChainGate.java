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
 * released when the appending transaction completes (commit or rollback). It only thins out the
 * queue at the database: when the wait exceeds {@link #PATIENCE} the append goes on without it
 * and the row lock alone serialises, as it does between replicas.
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

    /** Waits for the chain's lock and hands it to the current transaction, which releases it on completion. */
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
            tx.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(Status status) {
                    lock.unlock();
                }
            });
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }
}
