package io.identitybroker.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerProcess;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, sign-then-crash: the broker process is killed with SIGKILL after Vault signed an
 * enrollment's certificate and before the binding committed. After the restart the reconciler
 * finds that certificate in Vault by the intent's SPIFFE ID, revokes it, closes the intent with an
 * {@code agent.issuance.reconciled} event and counts it; the token's claim never committed, so the
 * token still works. The pause between sign and commit is the broker's test-only setting
 * ({@code broker.issuance.test-pause-after-sign}, off by default, configuration only).
 */
@ExtendWith(VaultExtension.class)
class SignThenCrashTest {
    private static final String MOUNT = "pki-tenants/acme";

    @Test
    void aCertificateSignedBeforeTheCrashIsRevokedAfterTheRestartAndTheIntentClosedWithAnEvent(TestVault vault)
            throws Exception {
        Path workDir = Files.createTempDirectory("broker-sign-crash-");
        BrokerProcess first = BrokerProcess.start(vault, Map.of("datasources.default.url", BrokerProcess.DEFAULT,
                "broker.issuance.test-pause-after-sign", "120s", "broker.issuance.reconcile-after", "10m"), workDir);
        String token;
        String serial;
        try {
            Fixtures fixtures = new Fixtures(first.api(), vault);
            fixtures.tenant("acme");
            token = fixtures.tokenSecret("acme");
            Set<String> before = serials(vault);
            CompletableFuture<BrokerApi.Response> exchange = CompletableFuture.supplyAsync(
                    () -> fixtures.exchange(token, Csrs.p256().pem()));
            serial = awaitNewSerial(vault, before);
            assertEquals(137, first.kill(), "SIGKILL between Vault's signature and the commit");
            assertTrue(exchange.handle((r, e) -> e != null).get(), "the client never got an answer");
        } finally {
            first.close();
        }
        assertEquals(0, vault.request("GET", MOUNT + "/cert/" + serial, null).path("data").path("revocation_time").asLong(),
                "signed and not yet revoked when the broker died");

        try (BrokerProcess restarted = first.restart(Map.of("broker.issuance.test-pause-after-sign", "0s",
                "broker.issuance.reconcile-after", "1s", "broker.issuance.reconcile-interval", "1s"))) {
            BrokerApi api = restarted.api();
            long deadline = System.nanoTime() + 90_000_000_000L;
            while (revocationTime(vault, serial) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertTrue(revocationTime(vault, serial) > 0, "the orphaned certificate was revoked in Vault");

            JsonNode events = api.get("/api/v1/tenants/acme/audit-events?type=agent.issuance.reconciled",
                    vault.adminToken("acme")).body().path("events");
            assertEquals(1, events.size(), events.toString());
            JsonNode details = events.get(0).path("details");
            assertEquals("revoked", details.path("result").asText(), details.toString());
            assertEquals("enrollment", details.path("kind").asText());
            assertEquals(serial, details.path("serial_numbers").get(0).asText());
            assertEquals("system:issuance-reconciler", events.get(0).path("actor").asText());

            BrokerApi.Response metric = api.get("/metrics/broker.issuance.intents.reconciled?tag=result:revoked",
                    vault.platformAdminToken());
            assertEquals(200, metric.status(), metric.raw());
            assertEquals(1.0, metric.body().path("measurements").get(0).path("value").asDouble(), metric.raw());

            // The claim on the token rolled back with the crash: the agent can still enroll, once.
            assertEquals(200, new Fixtures(api, vault).exchange(token, Csrs.p256().pem()).status());
            assertEquals(401, new Fixtures(api, vault).exchange(token, Csrs.p256().pem()).status());
            assertTrue(api.get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme")).body()
                    .path("valid").asBoolean());
        }
    }

    /**
     * The bound is what keeps a reconciler off in-flight work; when a request outlives it anyway,
     * the reconciler's claim wins and the late commit fails (500 binding_not_committed), so no
     * client holds a certificate that was revoked behind its back while believing it bound.
     */
    @Test
    void whenALiveRequestOutlivesTheBoundTheReconcilerRevokesAndTheLateCommitFails(TestVault vault) throws Exception {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.issuance.test-pause-after-sign", "8s",
                "broker.issuance.reconcile-after", "1s", "broker.issuance.reconcile-interval", "1s"))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            String token = fixtures.tokenSecret("acme");
            Set<String> before = serials(vault);

            BrokerApi.Response late = fixtures.exchange(token, Csrs.p256().pem());
            assertEquals(500, late.status(), late.raw());
            assertEquals("binding_not_committed", late.problemType());
            Set<String> signed = serials(vault);
            signed.removeAll(before);
            String serial = signed.iterator().next().replace('-', ':');
            assertTrue(revocationTime(vault, serial) > 0);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (broker.count("SELECT count(*) FROM issuance_intents") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200); // the reconciler may still be closing the intent it claimed
            }
            assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.issuance.reconciled'"
                    + " AND details LIKE ?", "%" + serial + "%"));
            assertEquals(0, broker.count("SELECT count(*) FROM issuance_intents"));
            assertEquals(0, broker.count("SELECT count(*) FROM certificate_bindings WHERE serial_number = ?", serial));
        }
    }

    private static Set<String> serials(TestVault vault) {
        Set<String> out = new HashSet<>();
        vault.request("LIST", MOUNT + "/certs", null).path("data").path("keys").forEach(k -> out.add(k.asText()));
        return out;
    }

    /** Waits until Vault stored a certificate that was not there before: the broker is now paused after the sign. */
    private static String awaitNewSerial(TestVault vault, Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Set<String> now = serials(vault);
            now.removeAll(before);
            if (!now.isEmpty()) {
                assertEquals(1, now.size(), now.toString());
                return now.iterator().next().replace('-', ':');
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Vault never signed");
    }

    private static long revocationTime(TestVault vault, String serial) {
        return vault.request("GET", MOUNT + "/cert/" + serial, null).path("data").path("revocation_time").asLong();
    }
}
