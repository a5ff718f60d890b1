package io.identitybroker.api;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a lost or unreachable database apart from every other database error. Only the former
 * is worth a retry: the transaction never committed, so the request changed nothing.
 */
public final class DatabaseFailures {
    /**
     * H2 reports a server that hung up mid-request as a plain I/O error (90028, 90031, with no
     * Java cause attached) and a closed or closing database as 90098/90121, none of them in the
     * SQL standard's connection class "08" that PostgreSQL's driver uses.
     */
    private static final Set<String> H2_CONNECTION_LOST = Set.of("90028", "90031", "90098", "90121");

    private DatabaseFailures() {
    }

    /** True when anything in the cause chain says the connection to the database failed or was lost. */
    public static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || H2_CONNECTION_LOST.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
