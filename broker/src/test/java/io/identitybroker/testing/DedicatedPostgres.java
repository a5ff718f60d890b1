package io.identitybroker.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, its own free
 * loopback port), for tests that stop and restart the server: never the shared one of
 * {@link TestPostgres}. Binaries and the run-as-postgres rule are those of
 * {@code scripts/lib/ensure-postgres.sh}.
 */
public final class DedicatedPostgres implements AutoCloseable {
    private final Path base;
    private final Path data;
    private final int port;

    private DedicatedPostgres(Path base, int port) {
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
    }

    public static DedicatedPostgres start() {
        TestPostgres.adminUrl(); // installs PostgreSQL when missing, as the shared server does
        try {
            Path base = Files.createTempDirectory("dedicated-postgres-");
            DedicatedPostgres pg = new DedicatedPostgres(base, TestVault.freePort());
            if (isRoot()) {
                pg.run("chown", "postgres:", base.toString());
            }
            pg.runAsOwner(binary("initdb"), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
                    "--encoding=UTF8", "--locale=C");
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Properties pointing a broker at this cluster's {@code postgres} database. */
    public Map<String, Object> brokerProperties() {
        return Map.of("datasources.default.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "datasources.default.username", "postgres", "datasources.default.password", "");
    }

    public void startServer() {
        runAsOwner(binary("pg_ctl"), "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + base
                        + " -c max_connections=100 -c fsync=off", "start");
    }

    /** {@code pg_ctl stop -m fast}: the server rolls back open transactions and terminates every session (57P01). */
    public void stopFast() {
        runAsOwner(binary("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() {
        try {
            runAsOwner(binary("pg_ctl"), "-D", data.toString(), "-m", "immediate", "stop");
        } catch (RuntimeException alreadyStopped) {
            // fine
        }
        try (var files = Files.walk(base)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    private void runAsOwner(String... cmd) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(Arrays.asList(cmd));
        run(full.toArray(String[]::new));
    }

    private void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** initdb / pg_ctl from PATH, else the newest /usr/lib/postgresql/N/bin. */
    private static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(java.util.Comparator.comparing(Path::toString)).orElseThrow().toString();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("no " + name + " for a dedicated PostgreSQL cluster", e);
        }
    }
}
