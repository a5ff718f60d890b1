package io.identitybroker.api;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a database that cannot serve (lost, unreachable, shutting down, or unable to write its
 * storage) apart from every other database error. Only the former is worth a retry: the
 * transaction did not commit, so the request changed nothing.
 */
public final class DatabaseFailures {
    /**
     * H2 reports a server that hung up mid-request as a plain I/O error (90028, 90031, with no
     * Java cause attached) and a closed or closing database as 90098/90121, none of them in the
     * SQL standard's connection class "08" that PostgreSQL's driver uses.
     */
    private static final Set<String> H2_CONNECTION_LOST = Set.of("90028", "90031", "90098", "90121");
    /**
     * PostgreSQL: 57P01-57P03 (administrator or crash shutdown, not accepting connections yet),
     * class 53 (insufficient resources: disk full, out of memory, too many connections) and
     * 58030 (I/O error).
     */
    private static final String HIKARI_CLOSED = "Connection is closed";
    private static final Set<String> POSTGRES_UNAVAILABLE_PREFIXES = Set.of("57P", "53", "58030");

    private DatabaseFailures() {
    }

    /**
     * True when anything in the cause chain says the connection to the database failed or was
     * lost, the server is shutting down or out of resources, or a database error was caused by
     * an I/O failure (H2 reports a full disk as a general error caused by an {@link IOException}).
     */
    public static boolean isConnectionLost(Throwable e) {
        boolean databaseError = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                databaseError = true;
                if (isUnavailableState(sql.getSQLState()) || isPoolClosedConnection(sql)) {
                    return true;
                }
            }
            if (databaseError && t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pool's stand-in for a connection it discarded (it found the connection broken while
     * the request still held it): Hikari answers every call with this message and no SQL state.
     */
    private static boolean isPoolClosedConnection(SQLException e) {
        return e.getSQLState() == null && HIKARI_CLOSED.equals(e.getMessage());
    }

    private static boolean isUnavailableState(String state) {
        if (state == null) {
            return false;
        }
        if (state.startsWith("08") || H2_CONNECTION_LOST.contains(state)) {
            return true;
        }
        for (String prefix : POSTGRES_UNAVAILABLE_PREFIXES) {
            if (state.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
