package io.identitybroker.database;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, disk full on H2: the broker's database lives on a small tmpfs that a filler file then
 * fills. Writes fail with 503 {@code database_unavailable} and {@code Retry-After}, never a 2xx
 * and never a 500; readiness is DOWN; once the filler is deleted, the same broker process serves
 * writes again, readiness is UP, and every change acknowledged before (and during) the outage is
 * still there. Needs root for the mount (CI runs as root); skipped otherwise.
 */
@ExtendWith(VaultExtension.class)
class DiskFullTest {

    @Test
    void whenTheDiskIsFullWritesAre503ReadinessIsDownAndTheBrokerRecoversWithoutRestartKeepingEveryAcknowledgedChange(
            TestVault vault) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: mounting a small tmpfs for the full-disk test needs root");
        Path mount = Files.createTempDirectory("broker-disk-full-");
        run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
        Path filler = mount.resolve("filler");
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("datasources.default.url", "jdbc:h2:file:"
                + mount.resolve("broker") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000",
                "datasources.default.connection-timeout", "2000"))) {
            BrokerApi api = broker.api();
            Fixtures fixtures = new Fixtures(api, vault);
            fixtures.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
            List<String> acknowledged = new ArrayList<>();
            acknowledged.add(fixtures.token("acme", 1, 600).path("id").asText());

            fill(filler);
            BrokerApi.Response refused = null;
            for (int i = 0; i < 2000 && refused == null; i++) {
                BrokerApi.Response r = api.post("/api/v1/tenants/acme/enrollment-tokens", tokenRequest(), vault.adminToken("acme"));
                if (r.status() == 201) {
                    acknowledged.add(r.body().path("id").asText()); // H2 still found room inside its file
                } else {
                    refused = r;
                }
            }
            assertNotNull(refused, "the full disk was never noticed");
            assertEquals(503, refused.status(), refused.raw());
            assertEquals("database_unavailable", refused.problemType());
            assertNotNull(refused.header("Retry-After"));
            BrokerApi.Response again = api.post("/api/v1/tenants/acme/enrollment-tokens", tokenRequest(), vault.adminToken("acme"));
            assertEquals(503, again.status(), again.raw());
            // the indicators' details are for a token that may read the metrics
            BrokerApi.Response readiness = api.get("/health/readiness", vault.platformAdminToken());
            assertEquals(503, readiness.status(), readiness.raw());
            assertEquals("DOWN", readiness.body().path("details").path("database-write").path("status").asText(), readiness.raw());

            Files.delete(filler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (api.get("/health/readiness", null).status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(200, api.get("/health/readiness", null).status(), "ready again without a restart");
            BrokerApi.Response after = api.post("/api/v1/tenants/acme/enrollment-tokens", tokenRequest(), vault.adminToken("acme"));
            assertEquals(201, after.status(), after.raw());
            acknowledged.add(after.body().path("id").asText());

            List<String> listed = new ArrayList<>();
            api.get("/api/v1/tenants/acme/enrollment-tokens", vault.adminToken("acme")).body().path("enrollment_tokens")
                    .forEach(t -> listed.add(t.path("id").asText()));
            assertTrue(listed.containsAll(acknowledged), "every acknowledged token is still there: " + acknowledged + " vs " + listed);
            assertEquals(acknowledged.size(), broker.count("SELECT count(*) FROM enrollment_tokens WHERE tenant_id = 'acme'")
                    - 1, "and nothing unacknowledged was kept (the enrolled agent's token is the one extra)");
            assertEquals(200, agent.mtls(broker, vault).send("GET", agent.path(), null, null, agent.basic()).status());
            assertTrue(api.get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme")).body()
                    .path("valid").asBoolean());
        } finally {
            Files.deleteIfExists(filler);
            run("umount", "-l", mount.toString());
        }
    }

    private static Map<String, Object> tokenRequest() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("max_uses", 1);
        body.put("ttl_seconds", 600);
        body.put("agent_name", "worker-with-a-longer-name-to-fill-pages-" + "x".repeat(64));
        body.put("scopes", List.of("orders.read"));
        return body;
    }

    /** Writes until the file system refuses. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
