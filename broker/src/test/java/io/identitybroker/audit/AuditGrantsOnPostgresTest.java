package io.identitybroker.audit;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestPostgres;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented production roles (docs/sql/postgres-roles.sql): the broker cannot rewrite its audit trail. */
@ExtendWith(VaultExtension.class)
class AuditGrantsOnPostgresTest {

    @Test
    void brokerRoleEnrollsButCannotUpdateOrDeleteAuditEvents(TestVault vault) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String owner = "owner_" + suffix;
        String app = "app_" + suffix;
        String db = "prod_" + suffix;
        String admin = TestPostgres.adminUrl();
        try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'owner-pw'");
            s.execute("CREATE ROLE " + app + " LOGIN PASSWORD 'app-pw'");
            s.execute("CREATE DATABASE " + db + " OWNER " + owner);
            s.execute("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
            s.execute("GRANT CONNECT ON DATABASE " + db + " TO " + app);
        }
        String url = admin.replaceFirst("/postgres$", "/" + db);
        // The migration step, as the owner.
        try (BrokerInstance migrate = BrokerInstance.start(vault, Map.of("datasources.default.url", url,
                "datasources.default.username", owner, "datasources.default.password", "owner-pw"))) {
            assertTrue(migrate.count("SELECT count(*) FROM flyway_schema_history") >= 1);
        }
        String grants = Files.readString(TestVault.repoRoot().resolve("docs/sql/postgres-roles.sql"))
                .replace("identity_broker_app", app);
        try (Connection c = DriverManager.getConnection(url, owner, "owner-pw"); Statement s = c.createStatement()) {
            for (String statement : grants.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }

        Map<String, Object> runtime = new HashMap<>(Map.of("datasources.default.url", url,
                "datasources.default.username", app, "datasources.default.password", "app-pw",
                "flyway.datasources.default.enabled", false));
        try (BrokerInstance broker = BrokerInstance.start(vault, runtime)) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem());
            assertEquals(200, r.status(), r.raw());
            BrokerApi.Response verify = broker.api().get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme"));
            assertTrue(verify.body().path("valid").asBoolean());
            // The bundle's sequence row is written under the app role's grants (trust_bundles).
            BrokerApi.Response bundle = broker.api().get("/spiffe/bundles/" + vault.trustDomain(), null);
            assertEquals(200, bundle.status(), bundle.raw());
        }
        try (Connection c = DriverManager.getConnection(url, app, "app-pw"); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE audit_events SET actor = 'x'"));
            assertEquals("42501", update.getSQLState(), "insufficient_privilege");
            SQLException delete = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_events"));
            assertEquals("42501", delete.getSQLState());
            SQLException truncate = assertThrows(SQLException.class, () -> s.executeUpdate("TRUNCATE audit_events"));
            assertEquals("42501", truncate.getSQLState());
        }
    }
}
