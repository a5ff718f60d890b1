package io.identitybroker.database;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections the pool gets for an H2 file database: plain H2 connections whose
 * {@code commit()} returns only once the commit is in the file ({@link H2GroupCommit}), when the
 * transaction wrote anything, and whose statements do the same for writes in auto-commit mode.
 * Reads and read-only transactions never wait. Everything else is H2's own behaviour.
 */
final class DurableH2DataSource implements DataSource {
    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final String url;
    private final Properties credentials = new Properties();
    private final H2GroupCommit group = new H2GroupCommit();
    private final java.sql.Driver driver;

    DurableH2DataSource(String url, String user, String password) throws SQLException {
        this.url = url;
        this.driver = java.sql.DriverManager.getDriver(url);
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(driver.connect(url, credentials));
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return wrap(driver.connect(url, p));
    }

    /**
     * Forces the file to disk when anything was stored since the last time ({@link H2FileSync}
     * calls this every second), on a connection of its own outside the pool.
     *
     * @return whether it synced
     */
    boolean syncToDisk() throws SQLException {
        if (!group.storedSinceSync()) {
            return false; // idle: not even a connection
        }
        try (Connection own = driver.connect(url, credentials)) {
            return group.syncIfStored(own);
        }
    }

    /** Whether something was stored since the last sync to disk. */
    boolean unsynced() {
        return group.storedSinceSync();
    }

    private Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new DurableConnection(target));
    }

    /** Remembers whether the current transaction wrote, and waits for the store on its commit. */
    private final class DurableConnection implements InvocationHandler {
        private final Connection target;
        private boolean wrote;

        DurableConnection(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit":
                    target.commit();
                    if (wrote) {
                        wrote = false;
                        group.awaitStored(target);
                    }
                    return null;
                case "rollback":
                    call(method, args);
                    if (args == null) {
                        wrote = false;
                    }
                    return null;
                case "prepareStatement":
                    if (args[0] instanceof String sql && reads(sql)) {
                        return call(method, args); // a query never needs a store: H2's own statement, no proxy
                    }
                    return watch((Statement) call(method, args));
                case "createStatement":
                case "prepareCall":
                    return watch((Statement) call(method, args));
                default:
                    return call(method, args);
            }
        }

        /** A statement whose writes mark the transaction (or, in auto-commit mode, wait for their store). */
        private Statement watch(Statement statement) {
            Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                    : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
            return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                    (p, m, a) -> {
                        Object result = invokeOn(statement, m, a);
                        if (WRITES.contains(m.getName())) {
                            wrote();
                        }
                        return result;
                    });
        }

        /** A write in auto-commit mode is committed already: wait for it here. */
        private void wrote() throws SQLException {
            if (target.getAutoCommit()) {
                group.awaitStored(target);
            } else {
                wrote = true;
            }
        }

        private Object call(Method method, Object[] args) throws Throwable {
            return invokeOn(target, method, args);
        }
    }

    /**
     * Whether {@code sql} is a plain query: it begins with {@code SELECT} and does not draw a
     * sequence value. Row locks ({@code FOR UPDATE}) change no data, so they need no store either.
     */
    static boolean reads(String sql) {
        String s = sql.stripLeading();
        if (!s.regionMatches(true, 0, "SELECT", 0, 6) || s.length() > 6 && Character.isLetterOrDigit(s.charAt(6))) {
            return false;
        }
        String upper = s.toUpperCase(Locale.ROOT);
        return !upper.contains("NEXT VALUE") && !upper.contains("NEXTVAL");
    }

    private static Object invokeOn(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
