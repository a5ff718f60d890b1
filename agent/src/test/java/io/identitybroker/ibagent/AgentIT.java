package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerProcess;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import io.spiffe.workloadapi.grpc.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * ib-agent as a real process against a real broker process and OpenBao. Tenant {@code acme} keeps
 * the dev role (24 h certificates); {@code globex}'s role is cut to seconds so the daemon rotates
 * many times within the test. The tests run in order and share one broker and one daemon.
 */
@ExtendWith(VaultExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestVault vault;
    private BrokerProcess broker;
    private int brokerPort;
    private Path work;
    private Path brokerDb;
    private Fixtures fixtures;
    private final List<Process> daemons = new ArrayList<>();

    // the short-lived agent and its daemon, shared by the ordered tests
    private Path fastDir;
    private Process fastDaemon;
    private Path fastLog;
    private Path hookLog;

    @BeforeAll
    void start(TestVault testVault) throws IOException {
        vault = testVault;
        work = Files.createTempDirectory("ib-agent-it-");
        brokerDb = work.resolve("db");
        brokerPort = TestVault.freePort();
        certificateLifetime("12s");
        broker = startBroker();
        fixtures = new Fixtures(broker.api(), vault);
        fixtures.tenant("acme");
        fixtures.tenant("globex");
    }

    @AfterAll
    void stop() {
        daemons.forEach(p -> {
            p.destroy();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        });
        if (broker != null) {
            broker.close();
        }
    }

    // ---------------------------------------------------------------- enroll, status, token

    @Test
    @Order(1)
    void oneCommandEnrollsAndWritesTheFilesWithTheirModes() throws Exception {
        Path dir = work.resolve("acme-agent");
        AgentCli.Result r = enroll("acme", dir, "ec-p256");
        assertEquals(0, r.exit(), r.stderr());
        String spiffeId = r.stdout().strip();

        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("svid_key.pem")));
        assertEquals("rw-------", mode(dir.resolve("agent_secret")));
        SvidFiles.Read files = SvidFiles.read(dir);
        verifies(files.chain(), files.bundle());
        assertTrue(Pem.matches(files.key(), files.chain().get(0).getPublicKey()), "the key is the certificate's");
        assertEquals(spiffeId, uriSan(files.chain().get(0)));

        // svid_bundle.pem holds the roots the broker's bundle endpoint publishes.
        BrokerApi.Response pem = broker.api().send("GET", "/spiffe/bundles/" + vault.trustDomain(), null, null,
                Map.of("Accept", "application/x-pem-file"));
        assertEquals(200, pem.status(), pem.raw());
        assertEquals(Pem.parseCertificates(pem.raw()), files.bundle());

        JsonNode info = JSON.readTree(dir.resolve("agent.json").toFile());
        assertEquals(spiffeId, info.path("spiffe_id").asText());
        assertEquals("acme", info.path("tenant").asText());
        // The SPIFFE ID is the broker's: as its admin API lists the agent.
        BrokerApi.Response agent = broker.api().get("/api/v1/tenants/acme/agents/" + info.path("agent_id").asText(),
                vault.adminToken("acme"));
        assertEquals(200, agent.status(), agent.raw());
        assertEquals(spiffeId, agent.body().path("spiffe_id").asText());
    }

    @Test
    @Order(2)
    void aSecondEnrollAgainstAValidIdentityChangesNothingUnlessForced() throws Exception {
        Path dir = work.resolve("acme-agent");
        String before = Files.readString(dir.resolve("svid.pem"));
        String secretBefore = Files.readString(dir.resolve("agent_secret"));
        AgentCli.Result again = enroll("acme", dir, "ec-p256");
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stderr().contains("already holds a valid identity"), again.stderr());
        assertEquals(before, Files.readString(dir.resolve("svid.pem")));
        assertEquals(secretBefore, Files.readString(dir.resolve("agent_secret")));

        for (String type : List.of("ec-p384", "ed25519", "rsa-2048")) {
            AgentCli.Result forced = enroll("acme", dir, type, "--force");
            assertEquals(0, forced.exit(), type + ": " + forced.stderr());
            SvidFiles.Read files = SvidFiles.read(dir);
            assertTrue(Pem.matches(files.key(), files.chain().get(0).getPublicKey()), type);
            assertEquals(KeyType.parse(type), KeyType.of(files.key()));
            verifies(files.chain(), files.bundle());
        }
        assertNotEquals(before, Files.readString(dir.resolve("svid.pem")));
    }

    @Test
    @Order(3)
    void aRefusedTokenExitsSixAndWritesNothing() throws Exception {
        Path dir = work.resolve("refused");
        Path token = work.resolve("bad-token");
        Files.writeString(token, "ibet_not-a-real-token");
        AgentCli.Result r = AgentCli.run("enroll", "--broker", brokerUrl(), "--ca-file", vault.env("IB_ROOT_CA_FILE"),
                "--token-file", token.toString(), "--dir", dir.toString());
        assertEquals(ExitCodes.REFUSED, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("invalid_enrollment_token"), r.stderr());
        assertFalse(Files.exists(dir.resolve("svid.pem")));
        assertFalse(r.stderr().contains("ibet_not-a-real-token"), "the token is never printed");
    }

    @Test
    @Order(4)
    void statusWithoutADaemonAndTheTokenCommand() throws Exception {
        Path dir = work.resolve("acme-agent");
        AgentCli.Result status = AgentCli.run("status", "--dir", dir.toString(), "--json");
        assertEquals(ExitCodes.NOT_RUNNING, status.exit(), status.stderr());
        JsonNode s = JSON.readTree(status.stdout());
        assertEquals("valid", s.path("identity").asText());
        assertFalse(s.path("daemon_running").asBoolean());

        AgentCli.Result token = AgentCli.run("token", "--dir", dir.toString(), "--scope", "orders.read");
        assertEquals(0, token.exit(), token.stderr());
        assertEquals(3, token.stdout().strip().split("\\.").length, "a JWT: " + token.stdout());

        AgentCli.Result none = AgentCli.run("status", "--dir", work.resolve("nothing-here").toString());
        assertEquals(ExitCodes.NOT_ENROLLED, none.exit());
    }

    // ---------------------------------------------------------------- the daemon

    @Test
    @Order(10)
    void theDaemonServesTheSocketOwnerOnlyAndRefusesCallsWithoutTheSecurityHeader() throws Exception {
        fastDir = work.resolve("globex-agent");
        assertEquals(0, enroll("globex", fastDir, "ec-p256").exit());
        Files.copy(fastDir.resolve("agent_secret"), work.resolve("globex-agent-secret"));
        fastLog = work.resolve("daemon.log");
        hookLog = work.resolve("hook.log");
        long t0 = System.nanoTime();
        // Renewal at 30 % of 13 s: a rotation every ~4 s, with 9 s to spare on a loaded machine.
        fastDaemon = AgentCli.start(fastLog, "run", "--dir", fastDir.toString(), "--renew-at", "0.3", "--renew-jitter", "0.03",
                "--retry-initial", "200ms", "--retry-max", "2s", "--rotate-secret-every", "5s", "--exec", "echo rotated >> " + hookLog);
        daemons.add(fastDaemon);
        Path socket = fastDir.resolve("agent.sock");
        await("the socket", Duration.ofSeconds(30), () -> Files.exists(socket));
        System.out.printf("socket served %d ms after start%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertEquals("rw-------", mode(socket));

        try (WorkloadApiClient client = new WorkloadApiClient(socket)) {
            StatusRuntimeException refused = null;
            try {
                client.stub(false).fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance()).next();
            } catch (StatusRuntimeException e) {
                refused = e;
            }
            assertTrue(refused != null && refused.getStatus().getCode() == Status.Code.INVALID_ARGUMENT, String.valueOf(refused));

            Workload.X509BundlesResponse bundles = client.stub(true).fetchX509Bundles(Workload.X509BundlesRequest.getDefaultInstance()).next();
            assertEquals(SvidFiles.read(fastDir).bundle(),
                    certificates(bundles.getBundlesOrThrow("spiffe://" + vault.trustDomain()).toByteArray()));
            Workload.X509SVIDResponse r = client.stub(true).fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance()).next();
            assertEquals(JSON.readTree(fastDir.resolve("agent.json").toFile()).path("spiffe_id").asText(), r.getSvids(0).getSpiffeId());
            List<X509Certificate> chain = certificates(r.getSvids(0).getX509Svid().toByteArray());
            verifies(chain, certificates(r.getSvids(0).getBundle().toByteArray()));
        }
    }

    @Test
    @Order(11)
    void goSpiffeReceivesAnUpdatedSvidAfterARotation() throws Exception {
        Path probe = GoTools.probe();
        Process p = new ProcessBuilder(probe.toString(), "x509", "-socket", "unix://" + fastDir.resolve("agent.sock"),
                "-updates", "2", "-timeout", "60s").redirectErrorStream(true).start();
        assertTrue(p.waitFor(70, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"distinct_svids\":2"), out);
        assertFalse(out.contains("\"verified\":false"), out);
    }

    @Test
    @Order(12)
    void spiffeHelperWritesTheSvidFilesFromTheSocket() throws Exception {
        Path helper = GoTools.spiffeHelper();
        Path out = Files.createDirectories(work.resolve("helper-out"));
        Path conf = work.resolve("helper.conf");
        Files.writeString(conf, "agent_address = \"" + fastDir.resolve("agent.sock") + "\"\n"
                + "cert_dir = \"" + out + "\"\n"
                + "svid_file_name = \"svid.pem\"\nsvid_key_file_name = \"svid_key.pem\"\nsvid_bundle_file_name = \"svid_bundle.pem\"\n"
                + "daemon_mode = false\n");
        Process p = new ProcessBuilder(helper.toString(), "-config", conf.toString()).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done && p.exitValue() == 0, log);
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(out.resolve("svid.pem")));
        verifies(chain, Pem.parseCertificates(Files.readString(out.resolve("svid_bundle.pem"))));
        assertTrue(Pem.matches(Pem.parsePrivateKey(Files.readString(out.resolve("svid_key.pem"))), chain.get(0).getPublicKey()));
        assertEquals(JSON.readTree(fastDir.resolve("agent.json").toFile()).path("spiffe_id").asText(), uriSan(chain.get(0)));
    }

    @Test
    @Order(14)
    void goSpiffeFetchesAJwtSvidAndValidatesItAgainstTheJwtBundleFromTheSocket() throws Exception {
        Path probe = GoTools.probe();
        Process p = new ProcessBuilder(probe.toString(), "jwt", "-socket", "unix://" + fastDir.resolve("agent.sock"),
                "-audience", "billing", "-audience", "orders", "-timeout", "60s").redirectErrorStream(true).start();
        assertTrue(p.waitFor(70, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        JsonNode r = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        String spiffeId = JSON.readTree(fastDir.resolve("agent.json").toFile()).path("spiffe_id").asText();
        assertEquals(spiffeId, r.path("spiffe_id").asText());
        assertEquals(spiffeId, r.path("validated_remotely_as").asText());
        assertTrue(r.path("wrong_audience_refused").asBoolean(), out);
        assertTrue(r.path("jwt_authorities").asInt() >= 1, out);
    }

    @Test
    @Order(15)
    void goSpiffesFederationClientReadsTheSameRootsFromTheBundleEndpoint() throws Exception {
        Path probe = GoTools.probe();
        Process p = new ProcessBuilder(probe.toString(), "federation", "-url", brokerUrl() + "/spiffe/bundles/" + vault.trustDomain(),
                "-trust-domain", vault.trustDomain(), "-ca-file", vault.env("IB_ROOT_CA_FILE")).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        JsonNode r = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        List<String> expected = new ArrayList<>();
        for (X509Certificate root : SvidFiles.read(fastDir).bundle()) {
            expected.add(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(root.getEncoded())));
        }
        List<String> fetched = new ArrayList<>();
        r.path("x509_roots_sha256").forEach(n -> fetched.add(n.asText()));
        assertEquals(new HashSet<>(expected), new HashSet<>(fetched), out);
    }

    @Test
    @Order(16)
    void jwtSvidsThroughTheSocketAndTheCommandLineValidateAndForgeriesAreRefused() throws Exception {
        AgentCli.Result cli = AgentCli.run("jwt-svid", "--dir", fastDir.toString(), "--audience", "reports");
        assertEquals(0, cli.exit(), cli.stderr());
        String token = cli.stdout().strip();
        try (WorkloadApiClient client = new WorkloadApiClient(fastDir.resolve("agent.sock"))) {
            Workload.ValidateJWTSVIDResponse v = client.stub(true).validateJWTSVID(Workload.ValidateJWTSVIDRequest.newBuilder()
                    .setAudience("reports").setSvid(token).build());
            assertEquals(JSON.readTree(fastDir.resolve("agent.json").toFile()).path("spiffe_id").asText(), v.getSpiffeId());
            assertEquals("reports", v.getClaims().getFieldsOrThrow("aud").getListValue().getValues(0).getStringValue());

            String[] parts = token.split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
            for (String[] c : new String[][]{{forged, "reports"}, {token, "someone-else"}}) {
                StatusRuntimeException e = null;
                try {
                    client.stub(true).validateJWTSVID(Workload.ValidateJWTSVIDRequest.newBuilder().setSvid(c[0]).setAudience(c[1]).build());
                } catch (StatusRuntimeException refused) {
                    e = refused;
                }
                assertTrue(e != null && e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT, String.valueOf(e));
            }
            Workload.JWTSVIDResponse first = client.stub(true).fetchJWTSVID(Workload.JWTSVIDRequest.newBuilder().addAudience("x").build());
            Workload.JWTSVIDResponse again = client.stub(true).fetchJWTSVID(Workload.JWTSVIDRequest.newBuilder().addAudience("x").build());
            assertEquals(first.getSvids(0).getSvid(), again.getSvids(0).getSvid(), "cached until close to expiry");
        }
    }

    @Test
    @Order(20)
    void tenRotationsInARowWithoutOneFailedMtlsRequest() throws Exception {
        long start = rotations(fastDir);
        String enrolledSecret = Files.readString(work.resolve("globex-agent-secret"));
        SvidFiles.Read initial = SvidFiles.read(fastDir);
        AtomicInteger mismatched = new AtomicInteger();
        Set<String> serials = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CheckLoop client;
        try (MtlsEchoServer server = MtlsEchoServer.withBrokerCertificate(Path.of(vault.env("BROKER_TLS_CERT_FILE")),
                Path.of(vault.env("BROKER_TLS_KEY_FILE")), initial.bundle())) {
            try (CheckLoop requests = new CheckLoop("mtls-client", 50, () -> {
                SvidFiles.Read files = SvidFiles.read(fastDir); // re-read per connection
                if (!Pem.matches(files.key(), files.chain().get(0).getPublicKey())) {
                    mismatched.incrementAndGet();
                }
                serials.add(files.chain().get(0).getSerialNumber().toString(16));
                String answer = request(server.port(), files);
                if (!answer.startsWith("ok spiffe://")) {
                    throw new IllegalStateException("answer: " + answer);
                }
            })) {
                client = requests;
                await("10 rotations", Duration.ofSeconds(120), () -> rotations(fastDir) >= start + 10);
            }
        }
        assertEquals(0, client.failed(), "failed mTLS requests; first: " + client.firstFailure());
        assertEquals(0, mismatched.get(), "reads where the key did not match the certificate");
        assertTrue(client.passed() > 20, "requests made: " + client.passed());
        assertTrue(serials.size() >= 10, "certificates used: " + serials.size());
        String log = Files.readString(fastLog);
        assertTrue(log.lines().filter(l -> l.contains(" rotated serial=") && l.contains("next_renewal=")).count() >= 10, log);
        assertTrue(Files.readString(hookLog).lines().count() >= 10, "the reload hook ran after each rotation");
        // The secret rotated on its schedule (every 5 s here) and the renewals went on with the new one.
        assertNotEquals(enrolledSecret, Files.readString(fastDir.resolve("agent_secret")));
        assertEquals("rw-------", mode(fastDir.resolve("agent_secret")));
        assertTrue(log.contains("agent secret rotated"), log);
        assertNoSecretsIn(log);
        fastDaemon.destroy();
        assertTrue(fastDaemon.waitFor(10, TimeUnit.SECONDS));
        assertEquals(143, fastDaemon.exitValue(), "SIGTERM stops the daemon cleanly (128 + 15, as any JVM)");
    }

    @Test
    @Order(25)
    void aStoppedBrokerIsRetriedWithBackoffAndTheIdentityIsNeverLostOrMismatchedOnDisk() throws Exception {
        // Long enough to outlive a broker restart (renewal at a tenth of 60 s); its own daemon.
        certificateLifetime("60s");
        Path dir = work.resolve("globex-outage");
        assertEquals(0, enroll("globex", dir, "ec-p256").exit());
        Path log = work.resolve("outage.log");
        CheckLoop reader = new CheckLoop("outage-reader", 20, () -> {
            SvidFiles.Read f = SvidFiles.read(dir);
            X509Certificate leaf = f.chain().get(0);
            leaf.checkValidity();
            if (!Pem.matches(f.key(), leaf.getPublicKey())) {
                throw new IllegalStateException("key does not match");
            }
        });
        broker.close(); // the broker is down before the daemon's first renewal
        Process daemon = AgentCli.start(log, "run", "--dir", dir.toString(), "--socket", work.resolve("outage.sock").toString(),
                "--renew-at", "0.1", "--renew-jitter", "0", "--retry-initial", "300ms", "--retry-max", "2s");
        daemons.add(daemon);
        try {
            await("two failed renewals", Duration.ofSeconds(40), () -> count(log, "renewal failed") >= 2);
            JsonNode status = JSON.readTree(dir.resolve("status.json").toFile());
            assertEquals("retrying", status.path("state").asText());
            assertTrue(status.path("last_error").asText().contains("failed"), status.toString()); // renewal or bundle refresh
            broker = startBroker();
            await("a rotation after the broker returned", Duration.ofSeconds(60), () -> count(log, " rotated serial=") >= 1);
        } finally {
            reader.close();
        }
        assertEquals(0, reader.failed(), "invalid or mismatched identity on disk: " + reader.firstFailure());
        assertTrue(daemon.isAlive());
        String text = Files.readString(log);
        assertTrue(text.contains("stays valid until"), text);
        assertNoSecretsIn(text);
        daemon.destroy();
        assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
        assertEquals(143, daemon.exitValue(), "SIGTERM stops it cleanly");
        assertFalse(Files.exists(work.resolve("outage.sock")), "the socket is removed on exit");
    }

    @Test
    @Order(30)
    void aRevokedAgentStopsRetryingAndSaysSo() throws Exception {
        certificateLifetime("10s");
        Path dir = work.resolve("globex-revoked");
        assertEquals(0, enroll("globex", dir, "ec-p256").exit());
        String agentId = JSON.readTree(dir.resolve("agent.json").toFile()).path("agent_id").asText();
        Path log = work.resolve("revoked.log");
        Process daemon = AgentCli.start(log, "run", "--dir", dir.toString(), "--socket", work.resolve("revoked.sock").toString());
        daemons.add(daemon);
        await("the daemon", Duration.ofSeconds(30), () -> Files.exists(work.resolve("revoked.sock")));
        BrokerApi.Response r = broker.api().post("/api/v1/tenants/globex/agents/" + agentId + "/revoke", Map.of(),
                vault.adminToken("globex"));
        assertEquals(200, r.status(), r.raw());
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon exits");
        assertEquals(ExitCodes.REVOKED, daemon.exitValue());
        String text = Files.readString(log);
        assertTrue(text.contains("revoked"), text);
        assertEquals(1, count(log, "was revoked"), "no retry after the revocation: " + text);
        assertEquals(0, count(log, "renewal failed"), text);
        AgentCli.Result status = AgentCli.run("status", "--dir", dir.toString(), "--json");
        assertEquals(ExitCodes.REVOKED, status.exit(), status.stdout());
    }

    @Test
    @Order(40)
    void anIdentityThatExpiresDuringAnOutageEndsTheDaemonWithTheFix() throws Exception {
        certificateLifetime("3s");
        Path dir = work.resolve("globex-expired");
        assertEquals(0, enroll("globex", dir, "ec-p256").exit());
        broker.close();
        broker = null;
        Path log = work.resolve("expired.log");
        Process daemon = AgentCli.start(log, "run", "--dir", dir.toString(), "--socket", work.resolve("expired.sock").toString(),
                "--retry-initial", "200ms");
        daemons.add(daemon);
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon exits at expiry");
        assertEquals(ExitCodes.EXPIRED, daemon.exitValue());
        String text = Files.readString(log);
        assertTrue(text.contains("expired") && text.contains("new enrollment token") && text.contains("ib-agent enroll --force"), text);
        AgentCli.Result status = AgentCli.run("status", "--dir", dir.toString());
        assertEquals(ExitCodes.EXPIRED, status.exit(), status.stdout());
        assertTrue(status.stdout().contains("enroll --force"), status.stdout());
    }

    // ---------------------------------------------------------------- helpers

    private BrokerProcess startBroker() {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.ssl.port", brokerPort);
        p.put("datasources.default.url", "jdbc:h2:file:" + brokerDb + "/broker;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000");
        p.put("broker.rotation.grace", "1m");
        return BrokerProcess.start(vault, p);
    }

    private String brokerUrl() {
        return "https://localhost:" + brokerPort;
    }

    /** Sets globex's Vault role to issue certificates of {@code ttl} (backdated 1 s instead of 30 s). */
    private void certificateLifetime(String ttl) {
        JsonNode data = vault.request("GET", "pki-tenants/globex/roles/agent", null).path("data");
        @SuppressWarnings("unchecked")
        Map<String, Object> role = JSON.convertValue(data, Map.class);
        role.values().removeIf(java.util.Objects::isNull);
        role.put("ttl", ttl);
        role.put("max_ttl", ttl);
        role.put("not_before_duration", "1s");
        vault.request("POST", "pki-tenants/globex/roles/agent", role);
    }

    private AgentCli.Result enroll(String tenant, Path dir, String keyType, String... extra) throws IOException {
        Path token = Files.createTempFile(work, "token-", "");
        Files.writeString(token, fixtures.tokenSecret(tenant));
        List<String> args = new ArrayList<>(List.of("enroll", "--broker", brokerUrl(), "--ca-file", vault.env("IB_ROOT_CA_FILE"),
                "--token-file", token.toString(), "--dir", dir.toString(), "--key-type", keyType));
        args.addAll(List.of(extra));
        return AgentCli.run(args.toArray(new String[0]));
    }

    private static long rotations(Path dir) {
        try {
            return JSON.readTree(dir.resolve("status.json").toFile()).path("rotations").asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long count(Path log, String needle) {
        try {
            return Files.readString(log).lines().filter(l -> l.contains(needle)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void assertNoSecretsIn(String log) throws IOException {
        assertFalse(log.contains("PRIVATE KEY"), "no key in the log");
        assertFalse(log.contains(Files.readString(fastDir.resolve("agent_secret")).strip()), "no secret in the log");
        assertFalse(log.contains("ibet_"), "no enrollment token in the log");
    }

    /** One mTLS connection to the echo server with the files just read. */
    private String request(int port, SvidFiles.Read files) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("agent", files.key(), new char[0], files.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.parseCertificates(Files.readString(Path.of(vault.env("IB_ROOT_CA_FILE"))))) {
            ts.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write('\n');
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    static void verifies(List<X509Certificate> chain, List<X509Certificate> roots) throws Exception {
        Set<TrustAnchor> anchors = new HashSet<>();
        roots.forEach(r -> anchors.add(new TrustAnchor(r, null)));
        PKIXParameters params = new PKIXParameters(anchors);
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    }

    static List<X509Certificate> certificates(byte[] concatenatedDer) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        cf.generateCertificates(new ByteArrayInputStream(concatenatedDer)).forEach(c -> out.add((X509Certificate) c));
        return out;
    }

    static String uriSan(X509Certificate c) throws Exception {
        return String.valueOf(c.getSubjectAlternativeNames().iterator().next().get(1));
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what);
    }
}
