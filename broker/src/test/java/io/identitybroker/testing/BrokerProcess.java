package io.identitybroker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker in its own operating-system process (the test JVM's class path, {@code -D} properties),
 * for replica tests where in-JVM instances would share too much, and for crash tests: {@link #kill()}
 * sends SIGKILL and {@link #restart()} starts a new process on the same properties, working
 * directory and database.
 */
public final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final BrokerApi api;
    private final TestVault vault;
    private final Map<String, Object> overrides;
    private final Path workDir;

    private BrokerProcess(Process process, Path log, BrokerApi api, TestVault vault, Map<String, Object> overrides,
                          Path workDir) {
        this.process = process;
        this.log = log;
        this.api = api;
        this.vault = vault;
        this.overrides = overrides;
        this.workDir = workDir;
    }

    /**
     * Starts a broker; a {@code micronaut.server.ssl.port} in {@code overrides} is kept (a restart on
     * the same port, as clients that remember the URL need), else a free port is chosen.
     */
    public static BrokerProcess start(TestVault vault, Map<String, Object> overrides) {
        return start(vault, overrides, null);
    }

    /**
     * @param overrides broker properties over {@link BrokerInstance#baseProperties}; a key mapped to
     *                  {@link #DEFAULT} is not passed at all, so the broker's own default applies
     * @param workDir   the process's working directory (the default H2 URL keeps {@code ./data} there), or null
     */
    public static BrokerProcess start(TestVault vault, Map<String, Object> overrides, Path workDir) {
        Object fixedPort = overrides.get("micronaut.server.ssl.port");
        int port = fixedPort == null ? TestVault.freePort() : Integer.parseInt(fixedPort.toString());
        Map<String, Object> props = new HashMap<>(BrokerInstance.baseProperties(vault));
        props.putAll(overrides);
        props.values().removeIf(DEFAULT::equals);
        props.put("micronaut.server.ssl.port", port);
        List<String> cmd = command(props);
        try {
            Path log = Files.createTempFile("broker-process-", ".log");
            ProcessBuilder builder = TestVault.withoutShellVault(new ProcessBuilder(cmd))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            BrokerApi api = new BrokerApi("https://localhost:" + port, vault.env("IB_ROOT_CA_FILE"));
            BrokerProcess broker = new BrokerProcess(process, log, api, vault, Map.copyOf(overrides), workDir);
            long deadline = System.nanoTime() + 90_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker process exited:\n" + Files.readString(log));
                }
                try {
                    if (api.get("/health", null).status() == 200) {
                        return broker;
                    }
                } catch (IllegalStateException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            broker.close();
            throw new IllegalStateException("broker process did not become healthy:\n" + Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> command(Map<String, Object> props) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only and the serial collector: a test broker starts in about half the time.
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("io.identitybroker.Application");
        return cmd;
    }

    /** How a broker that was expected to refuse to start ended: its exit status and everything it printed. */
    public record Exit(int status, String output) {
    }

    /**
     * Runs a broker on exactly {@code properties} (no Vault, no database of the test's) and waits
     * up to 60 s for it to exit, as one with a refused setting does; fails if it is still running.
     */
    public static Exit runUntilExit(Map<String, Object> properties) {
        try {
            Path log = Files.createTempFile("broker-refusal-", ".log");
            Process process = TestVault.withoutShellVault(new ProcessBuilder(command(properties)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                Processes.stop(process);
                throw new IllegalStateException("the broker did not exit:\n" + Files.readString(log));
            }
            return new Exit(process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A property value meaning "leave this property unset": the broker's own default applies (e.g. the H2 file URL). */
    public static final String DEFAULT = "\0default";

    public BrokerApi api() {
        return api;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL, as {@code kill -9}: no shutdown hook, no pool close, no H2 close. Returns once the
     * process is gone, with its exit status (137 = 128 + SIGKILL on Linux).
     */
    public int kill() {
        process.destroyForcibly(); // java.lang.ProcessImpl sends SIGKILL on Unix for destroyForcibly
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker process survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** A new broker process with the same properties, working directory and database (its own port). */
    public BrokerProcess restart() {
        return restart(Map.of());
    }

    /** {@link #restart()} with some properties changed. */
    public BrokerProcess restart(Map<String, Object> changes) {
        if (process.isAlive()) {
            throw new IllegalStateException("stop or kill the broker before restarting it");
        }
        Map<String, Object> props = new HashMap<>(overrides);
        props.putAll(changes);
        return start(vault, props, workDir);
    }

    /** Stops the process, then fails if a response the test's clients received broke docs/openapi.yaml. */
    @Override
    public void close() {
        Processes.stop(process);
        OpenApiContract.assertValid();
    }
}
