package io.identitybroker.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The test PostgreSQL server, made available by {@code scripts/lib/ensure-postgres.sh} (which
 * installs and starts one when needed). There is no silent skip: no server, no green run.
 */
public final class TestPostgres {
    private static String adminUrl;

    private TestPostgres() {
    }

    public static synchronized String adminUrl() {
        if (adminUrl == null) {
            adminUrl = start();
        }
        return adminUrl;
    }

    /** A new empty database; the properties point a broker at it. */
    public static Map<String, Object> freshDatabase() {
        String name = "ib_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test database", e);
        }
        return Map.of("datasources.default.url", adminUrl().replaceFirst("/postgres$", "/" + name),
                "datasources.default.username", "postgres",
                "datasources.default.password", "");
    }

    private static String start() {
        try {
            Path script = TestVault.repoRoot().resolve("scripts/lib/ensure-postgres.sh");
            Path out = Files.createTempFile("ensure-postgres", ".log");
            Process p = new ProcessBuilder("bash", script.toString()).redirectError(out.toFile()).start();
            String url = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException("No PostgreSQL for the tests (scripts/lib/ensure-postgres.sh):\n"
                        + Files.readString(out));
            }
            return url;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
