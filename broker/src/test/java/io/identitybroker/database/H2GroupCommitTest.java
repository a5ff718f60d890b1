package io.identitybroker.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link DurableH2DataSource} promises on a real H2 file: a commit that wrote returns only
 * after H2 stored it, and concurrent commits share stores. H2's own counter of file writes
 * ({@code INFORMATION_SCHEMA.SETTINGS} {@code info.FILE_WRITE}) tells how many stores ran.
 * The crash side (SIGKILL right after a 2xx) is {@code AcknowledgedWritesSurviveSigkillTest}.
 */
class H2GroupCommitTest {

    @Test
    void whenATransactionThatWroteCommitsThenH2HasStoredItBeforeCommitReturns() throws Exception {
        DurableH2DataSource db = database();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            long before = fileWrites(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1, 'x')");
            }
            c.commit();
            assertTrue(fileWrites(c) > before, "commit returned before H2 wrote the file");
            long afterWrite = fileWrites(c);
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
                r.next();
            }
            c.commit();
            assertEquals(afterWrite, fileWrites(c), "a read-only transaction waited for a store");
        }
    }

    @Test
    void whenAnAutoCommitStatementWritesThenItReturnsAfterTheStore() throws Exception {
        DurableH2DataSource db = database();
        try (Connection c = db.getConnection()) {
            long before = fileWrites(c);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, 'x')")) {
                p.setInt(1, 2);
                p.executeUpdate();
            }
            assertTrue(fileWrites(c) > before, "an auto-commit write returned before H2 wrote the file");
        }
    }

    @Test
    void whenATransactionOnlyQueriesAndLocksRowsThenItsCommitWaitsForNoStore() throws Exception {
        DurableH2DataSource db = database();
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (3, 'x')");
            }
            c.setAutoCommit(false);
            long before = fileWrites(c);
            try (PreparedStatement p = c.prepareStatement("SELECT v FROM t WHERE id = ? FOR UPDATE")) {
                p.setInt(1, 3);
                p.execute();
            }
            c.commit();
            assertEquals(before, fileWrites(c), "a transaction that only read and locked waited for a store");
            try (PreparedStatement p = c.prepareStatement("UPDATE t SET v = 'y' WHERE id = ?")) {
                p.setInt(1, 3);
                p.executeUpdate();
            }
            c.commit();
            assertTrue(fileWrites(c) > before, "a prepared update's commit returned before H2 wrote the file");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT v FROM t WHERE id = ?                        | true",
            "'  select * from t for update'                      | true",
            "SELECT NEXT VALUE FOR s                             | false",
            "select nextval('s')                                 | false",
            "SELECTED_ROWS                                       | false",
            "INSERT INTO t SELECT * FROM u                       | false",
            "UPDATE t SET v = (SELECT 1)                         | false",
            "WITH x AS (SELECT 1) SELECT * FROM x                | false",
            "DELETE FROM t                                       | false"})
    void whenAStatementIsPreparedThenOnlyPlainQueriesSkipTheStore(String sql, boolean query) {
        assertEquals(query, DurableH2DataSource.reads(sql));
    }

    @Test
    void whenSomethingWasStoredThenTheNextSyncForcesTheFileToDiskAndAnIdleTickDoesNothing() throws Exception {
        DurableH2DataSource db = database(); // creating the table stored once
        assertTrue(db.syncToDisk(), "the table's store was not synced");
        assertFalse(db.syncToDisk(), "an idle tick synced again");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (4, 'x')");
        }
        assertTrue(db.syncToDisk(), "a stored commit was not synced");
        assertFalse(db.syncToDisk(), "an idle tick synced again");
    }

    @Test
    void whenManyThreadsCommitAtOnceThenFewerStoresRunThanCommits() throws Exception {
        DurableH2DataSource db = database();
        int threads = 16;
        int perThread = 50;
        long before;
        try (Connection c = db.getConnection()) {
            before = fileWrites(c);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = 1000 + t * perThread;
                done.add(pool.submit(() -> {
                    try (Connection c = db.getConnection()) {
                        c.setAutoCommit(false);
                        for (int i = 0; i < perThread; i++) {
                            try (Statement s = c.createStatement()) {
                                s.executeUpdate("INSERT INTO t VALUES (" + (base + i) + ", 'x')");
                            }
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (Connection c = db.getConnection()) {
            long stores = fileWrites(c) - before;
            assertTrue(stores < threads * perThread, stores + " stores for " + threads * perThread + " commits");
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
                r.next();
                assertEquals(threads * perThread, r.getInt(1));
            }
        }
    }

    private static DurableH2DataSource database() throws Exception {
        Path dir = Files.createTempDirectory("h2-group-commit-");
        DurableH2DataSource db = new DurableH2DataSource("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL",
                "sa", "");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
        }
        return db;
    }

    private static long fileWrites(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE'")) {
            r.next();
            return Long.parseLong(r.getString(1));
        }
    }
}
