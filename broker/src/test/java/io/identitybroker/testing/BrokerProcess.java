package io.identitybroker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker in its own operating-system process (the test JVM's class path, {@code -D} properties),
 * for replica tests where in-JVM instances would share too much.
 */
public final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final BrokerApi api;

    private BrokerProcess(Process process, Path log, BrokerApi api) {
        this.process = process;
        this.log = log;
        this.api = api;
    }

    /**
     * Starts a broker; a {@code micronaut.server.ssl.port} in {@code overrides} is kept (a restart on
     * the same port, as clients that remember the URL need), else a free port is chosen.
     */
    public static BrokerProcess start(TestVault vault, Map<String, Object> overrides) {
        Object fixedPort = overrides.get("micronaut.server.ssl.port");
        int port = fixedPort == null ? TestVault.freePort() : Integer.parseInt(fixedPort.toString());
        Map<String, Object> props = new HashMap<>(BrokerInstance.baseProperties(vault));
        props.putAll(overrides);
        props.put("micronaut.server.ssl.port", port);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path")));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("io.identitybroker.Application");
        try {
            Path log = Files.createTempFile("broker-process-", ".log");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            BrokerApi api = new BrokerApi("https://localhost:" + port, vault.env("IB_ROOT_CA_FILE"));
            BrokerProcess broker = new BrokerProcess(process, log, api);
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

    public BrokerApi api() {
        return api;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
