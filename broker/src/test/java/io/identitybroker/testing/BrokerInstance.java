package io.identitybroker.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real broker process-in-JVM: Netty on HTTPS with its Vault-issued certificate, logged in to the
 * test Vault with the broker's AppRole (so its least-privilege policy is what the tests exercise),
 * on its own database (a fresh in-memory H2 unless a JDBC URL is given).
 */
public final class BrokerInstance implements AutoCloseable {
    private final EmbeddedServer server;
    private final TestVault vault;

    private BrokerInstance(EmbeddedServer server, TestVault vault) {
        this.server = server;
        this.vault = vault;
    }

    public static BrokerInstance start(TestVault vault) {
        return start(vault, Map.of());
    }

    public static BrokerInstance start(TestVault vault, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(baseProperties(vault));
        props.putAll(overrides);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
        return new BrokerInstance(server, vault);
    }

    public static Map<String, Object> baseProperties(TestVault vault) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("micronaut.server.ssl.port", -1);
        p.put("micronaut.server.ssl.key-store.key-path", "file:" + vault.env("BROKER_TLS_KEY_FILE"));
        p.put("micronaut.server.ssl.key-store.certificate-path", "file:" + vault.env("BROKER_TLS_CERT_FILE"));
        p.put("broker.vault.address", vault.address());
        p.put("broker.vault.token", "");
        p.put("broker.vault.ca-cert", ""); // never the developer's shell VAULT_CACERT
        p.put("broker.vault.approle-role-id", vault.env("BROKER_VAULT_APPROLE_ROLE_ID"));
        p.put("broker.vault.approle-secret-id-file", vault.env("BROKER_VAULT_APPROLE_SECRET_ID_FILE"));
        p.put("datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000;DB_CLOSE_DELAY=-1");
        return p;
    }

    /**
     * Properties for a broker whose database is a fresh in-memory H2 served by a TCP server and
     * reached through {@code proxy} (which a test can cut), failing fast when it is cut.
     */
    public static Map<String, Object> h2Through(TcpProxy proxy) {
        return Map.of("datasources.default.url", "jdbc:h2:tcp://127.0.0.1:" + proxy.url().replaceAll(".*:", "") + "/mem:"
                        + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000;DB_CLOSE_DELAY=-1",
                "datasources.default.connection-timeout", "1500");
    }

    public BrokerApi api() {
        return new BrokerApi(server.getURI().toString(), vault.env("IB_ROOT_CA_FILE"));
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    /** Rows of a query on the broker's database, for asserting the state a request left behind. */
    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = rawDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection c = rawDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pool itself, outside the broker's transaction management. */
    private DataSource rawDataSource() {
        return io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(context().getBean(DataSource.class));
    }

    public long count(String sql, Object... args) {
        return ((Number) query(sql, args).get(0).values().iterator().next()).longValue();
    }

    /**
     * Closes the broker after checking every audit event it wrote against docs/events/ (see
     * {@link EventContracts}) and every response the test's clients received against
     * docs/openapi.yaml (see {@link OpenApiContract}).
     */
    @Override
    public void close() {
        try {
            EventContracts.assertValid(this);
            OpenApiContract.assertValid();
        } finally {
            server.getApplicationContext().close();
        }
    }
}
