package io.identitybroker.database;

import com.zaxxer.hikari.SQLExceptionOverride;
import io.identitybroker.api.DatabaseFailures;

import java.sql.SQLException;

/**
 * Tells the connection pool to discard a connection whose error says the database could not
 * serve it ({@link DatabaseFailures}). Hikari evicts on SQL state class 08 and a few PostgreSQL
 * states by itself, but not on H2's "database has been closed" (90098, what every statement of
 * an old connection gets after H2 closed itself on a failed write, e.g. a full disk), and H2
 * still calls such a connection valid. Without this the pool would hand out dead connections
 * until their maximum lifetime; with it the next request opens a fresh one, which reopens the
 * database, so the broker recovers once the disk has space again, without a restart.
 */
public class EvictUnavailableConnections implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return DatabaseFailures.isConnectionLost(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
