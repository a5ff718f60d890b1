package io.identitybroker.api;

import io.identitybroker.testing.TcpProxy;
import io.identitybroker.testing.TestPostgres;
import org.h2.message.DbException;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.EOFException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a real driver throws when the database goes away must read as "database unavailable"
 * (503, retry), and only that: an ordinary SQL error stays a 500.
 */
class DatabaseFailuresTest {
    private static Server h2;

    @BeforeAll
    static void startH2() throws SQLException {
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    }

    @AfterAll
    static void stopH2() {
        h2.stop();
    }

    @Test
    void h2ServerSideIoErrorIsALostConnection() {
        // What a broker received in CI when the H2 server's socket died mid-request: the server
        // answers with its own I/O error (90028), which is no SQLNonTransientConnectionException.
        SQLException e = DbException.convertIOException(new EOFException(), null).getSQLException();
        assertFalse(e instanceof java.sql.SQLNonTransientConnectionException, e.toString());
        assertTrue(DatabaseFailures.isConnectionLost(new RuntimeException("wrapped", e)), e.toString());
    }

    @Test
    void h2ConnectionCutIsALostConnection() throws Exception {
        try (TcpProxy proxy = new TcpProxy(h2.getPort()); Connection c = h2Through(proxy)) {
            proxy.cut();
            SQLException e = assertThrows(SQLException.class, () -> query(c, "SELECT 1"));
            assertTrue(DatabaseFailures.isConnectionLost(e), e.toString());
        }
    }

    @Test
    void postgresServerHangingUpMidQueryIsALostConnection() throws Exception {
        int port = Integer.parseInt(TestPostgres.adminUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        try (TcpProxy proxy = new TcpProxy(port);
             Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + portOf(proxy) + "/postgres",
                     "postgres", "")) {
            query(c, "SELECT 1");
            proxy.hangUpOnNextRequests();
            SQLException e = assertThrows(SQLException.class, () -> query(c, "SELECT 1"));
            assertTrue(DatabaseFailures.isConnectionLost(e), e.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"57P01,terminating connection due to administrator command", "57P02,crash shutdown",
            "57P03,the database system is starting up", "53100,could not extend file: No space left on device",
            "53300,too many connections", "58030,could not write to file"})
    void postgresShutdownAndResourceStatesMeanTheDatabaseIsUnavailable(String state, String message) {
        assertTrue(DatabaseFailures.isConnectionLost(new RuntimeException(new SQLException(message, state))), state);
    }

    @Test
    void h2WriteFailureAndThePoolsClosedConnectionMeanTheDatabaseIsUnavailable() {
        // What H2 threw on a full tmpfs: a general error caused by the file system's IOException.
        SQLException diskFull = new SQLException("General error: MVStoreException: Writing to … failed", "HY000", 50000,
                new IllegalStateException("Writing failed", new java.io.IOException("No space left on device")));
        assertTrue(DatabaseFailures.isConnectionLost(diskFull));
        // What Hikari answers on a connection it discarded while a request still held it.
        assertTrue(DatabaseFailures.isConnectionLost(new RuntimeException(new SQLException("Connection is closed"))));
        assertFalse(DatabaseFailures.isConnectionLost(new IllegalStateException(new java.io.IOException("not a database"))));
        assertFalse(DatabaseFailures.isConnectionLost(new SQLException("duplicate key", "23505")));
    }

    @Test
    void ordinarySqlErrorsAreNotALostConnection() throws Exception {
        try (TcpProxy proxy = new TcpProxy(h2.getPort()); Connection c = h2Through(proxy)) {
            query(c, "CREATE TABLE t (id INT PRIMARY KEY)");
            query(c, "INSERT INTO t VALUES (1)");
            SQLException duplicate = assertThrows(SQLException.class, () -> query(c, "INSERT INTO t VALUES (1)"));
            SQLException syntax = assertThrows(SQLException.class, () -> query(c, "SELEC 1"));
            assertFalse(DatabaseFailures.isConnectionLost(duplicate), duplicate.toString());
            assertFalse(DatabaseFailures.isConnectionLost(syntax), syntax.toString());
            assertFalse(DatabaseFailures.isConnectionLost(new IllegalStateException("not a database error")));
        }
    }

    private static Connection h2Through(TcpProxy proxy) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + portOf(proxy) + "/mem:"
                + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        query(c, "SELECT 1");
        return c;
    }

    private static int portOf(TcpProxy proxy) {
        return Integer.parseInt(proxy.url().replaceAll(".*:", ""));
    }

    private static void query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
