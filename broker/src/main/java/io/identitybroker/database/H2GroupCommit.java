package io.identitybroker.database;

import io.identitybroker.concurrent.SharedRounds;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes H2 commits durable before they are acknowledged, sharing the file write among concurrent
 * committers (group commit). H2 keeps a commit in memory until its store writes a chunk to the
 * file; {@link #awaitStored} returns only after a store that <em>started after the caller's
 * commit</em> has finished ({@code CHECKPOINT}), so what the caller acknowledges survives a crash
 * of the broker process. One store runs at a time and covers every commit that arrived before it
 * started: under load one file write serves many requests instead of one write per commit (what
 * {@code WRITE_DELAY=0} did), and H2's background writer keeps compacting the file.
 *
 * <p>It also counts the stores, so that {@link H2FileSync} forces the file to disk only when
 * something was stored since its last sync.
 *
 * <p>Failure: when the store fails (a full disk), every caller it covered gets an
 * {@link SQLException} with H2's error code and state, so the request answers 503 like any write
 * that failed; nothing is acknowledged that was not written.
 */
final class H2GroupCommit {
    private final SharedRounds<Optional<SQLException>> stores = new SharedRounds<>();
    /** Stores finished so far, and how many of them the last sync to disk covered (only the syncing thread writes it). */
    private final AtomicLong stored = new AtomicLong();
    private volatile long synced;

    /**
     * Returns once a store that started after this call has written every earlier commit.
     *
     * @param own the caller's connection, used to run the store when this caller leads one
     */
    void awaitStored(Connection own) throws SQLException {
        Optional<SQLException> failure;
        try {
            failure = stores.await(() -> checkpoint(own));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the commit to be written", "08006", e);
        }
        if (failure.isPresent()) {
            throw copy(failure.get());
        }
    }

    /** Whether a store ran since the last sync to disk. */
    boolean storedSinceSync() {
        return stored.get() != synced;
    }

    /**
     * When a store ran since the last sync, forces the file to disk ({@code CHECKPOINT SYNC}: a
     * store, then an fsync). Stores that run meanwhile are left for the next sync.
     *
     * @return whether it synced; false when nothing was stored since the last sync
     * @throws SQLException when the store or the sync failed
     */
    boolean syncIfStored(Connection own) throws SQLException {
        long before = stored.get();
        if (before == synced) {
            return false;
        }
        try (Statement sync = own.createStatement()) {
            sync.execute("CHECKPOINT SYNC");
        }
        synced = before;
        return true;
    }

    /** One store of everything committed so far; its failure, if any. */
    private Optional<SQLException> checkpoint(Connection connection) {
        try (Statement checkpoint = connection.createStatement()) {
            checkpoint.execute("CHECKPOINT");
            stored.incrementAndGet();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e);
        } catch (RuntimeException e) {
            return Optional.of(new SQLException("The database could not write the commit", "08006", e));
        }
    }

    /** Each caller's own exception, keeping H2's code and state so the failure maps to 503 alike. */
    private static SQLException copy(SQLException failure) {
        return new SQLException(failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), failure);
    }
}
