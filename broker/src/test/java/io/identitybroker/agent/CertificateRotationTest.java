package io.identitybroker.agent;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Crls;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificate and secret rotation, concurrency, and the grace window, against the real Vault over real TLS. */
@ExtendWith(VaultExtension.class)
class CertificateRotationTest {
    static final int CONCURRENT = 20;
    private static TestVault vault;
    private static BrokerInstance broker;
    private static Fixtures fixtures;

    @BeforeAll
    static void start(TestVault testVault) {
        vault = testVault;
        broker = BrokerInstance.start(vault);
        fixtures = new Fixtures(broker.api(), vault);
        fixtures.tenant("acme");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static BrokerApi.Response rotate(BrokerApi client, EnrolledAgent agent, String csrPem) {
        return client.send("POST", agent.path() + "/certificate/rotate", Map.of("csr", csrPem), null, agent.basic());
    }

    static BrokerApi.Response self(BrokerInstance b, TestVault vault, EnrolledAgent agent) {
        return agent.mtls(b, vault).send("GET", agent.path(), null, null, agent.basic());
    }

    private static BrokerApi.Response self(BrokerInstance b, EnrolledAgent agent) {
        return self(b, vault, agent);
    }

    @Test
    void rotationSwitchesTheBindingAndKeepsThePreviousCertificateDuringItsGrace() {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response r = rotate(agent.mtls(broker, vault), agent, csr.pem());
        assertEquals(200, r.status(), r.raw());
        assertEquals("no-store", r.header("Cache-Control"));
        assertFalse(r.body().has("agent_secret"));
        EnrolledAgent rotated = agent.rotated(csr.keys(), r.body());
        assertEquals(agent.agentId(), rotated.agentId());
        assertEquals(agent.spiffeId(), rotated.spiffeId());
        assertNotEquals(agent.serialNumber(), rotated.serialNumber());
        assertEquals(agent.serialNumber(), r.body().path("previous_serial_number").asText());

        BrokerApi.Response viaNew = self(broker, rotated);
        assertEquals(200, viaNew.status(), viaNew.raw());
        assertEquals("current", viaNew.body().path("certificate_status").asText());
        BrokerApi.Response viaOld = self(broker, agent);
        assertEquals(200, viaOld.status(), viaOld.raw());
        assertEquals("previous", viaOld.body().path("certificate_status").asText());
        // the previous certificate authenticates but cannot rotate again
        BrokerApi.Response again = rotate(agent.mtls(broker, vault), agent, Csrs.p256().pem());
        assertEquals(409, again.status(), again.raw());
        assertEquals("rotation_conflict", again.problemType());

        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'CURRENT'", agent.agentId()));
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'PREVIOUS'", agent.agentId()));
        String details = (String) broker.query("SELECT details FROM audit_events WHERE type = 'agent.certificate.rotated'"
                + " AND outcome = 'success' AND subject = ?", agent.agentId()).get(0).get("details");
        assertTrue(details.contains(agent.serialNumber()) && details.contains(rotated.serialNumber())
                && details.contains(agent.x5t()) && details.contains(rotated.x5t()), details);
    }

    @Test
    void aRotationCsrGoesThroughTheEnrollmentPolicy() {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        int before = vault.certificateCount("pki-tenants/acme");
        BrokerApi.Response weak = rotate(agent.mtls(broker, vault), agent, Csrs.of(Csrs.rsa(1024)).pem());
        assertEquals(400, weak.status());
        assertEquals("csr_weak_key", weak.problemType());
        BrokerApi.Response foreign = rotate(agent.mtls(broker, vault), agent,
                Csrs.withUriSan(Csrs.ec("secp256r1"), "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/other").pem());
        assertEquals("csr_foreign_san", foreign.problemType());
        BrokerApi.Response malformed = agent.mtls(broker, vault).send("POST", agent.path() + "/certificate/rotate",
                "{\"csr\": ", null, agent.basic());
        assertEquals("malformed_json", malformed.problemType());
        assertEquals(before, vault.certificateCount("pki-tenants/acme"));
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ?", agent.agentId()));
        assertEquals(3, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.certificate.rotated'"
                + " AND outcome = 'failure' AND subject = ?", agent.agentId()));
    }

    @Test
    void twentyConcurrentRotationsWithTheSameCredentialYieldExactlyOneNewCurrentBinding() throws Exception {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        int before = vault.certificateCount("pki-tenants/acme");
        List<Csrs.Csr> csrs = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            csrs.add(Csrs.p256());
        }
        BrokerApi client = agent.mtls(broker, vault);
        List<BrokerApi.Response> responses = concurrently(i -> rotate(client, agent, csrs.get(i).pem()));
        assertEquals(1, responses.stream().filter(r -> r.status() == 200).count(), statuses(responses));
        assertEquals(CONCURRENT - 1, responses.stream()
                .filter(r -> r.status() == 409 && r.problemType().equals("rotation_conflict")).count(), statuses(responses));
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'CURRENT'", agent.agentId()));
        assertEquals(2, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ?", agent.agentId()));
        // the losers were refused before Vault signed anything
        assertEquals(before + 1, vault.certificateCount("pki-tenants/acme"));
        BrokerApi.Response winner = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertEquals(winner.body().path("x5t#S256").asText(), broker.query("SELECT x5t_s256 FROM certificate_bindings"
                + " WHERE agent_id = ? AND status = 'CURRENT'", agent.agentId()).get(0).get("x5t_s256"));
    }

    @Test
    void twentyConcurrentSecretRotationsYieldExactlyOneNewSecret() throws Exception {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        BrokerApi client = agent.mtls(broker, vault);
        List<BrokerApi.Response> responses = concurrently(i ->
                client.send("POST", agent.path() + "/rotate-secret", null, null, agent.basic()));
        assertEquals(1, responses.stream().filter(r -> r.status() == 200).count(), statuses(responses));
        // The losers fail cleanly: those that authenticated before the winner committed lose the
        // compare-and-swap (409); those that came after find the old secret already invalid (401).
        assertEquals(CONCURRENT - 1, responses.stream()
                .filter(r -> (r.status() == 409 && r.problemType().equals("secret_rotation_conflict"))
                        || (r.status() == 401 && r.problemType().equals("invalid_agent_credentials"))).count(),
                statuses(responses));
        BrokerApi.Response winner = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        String newSecret = winner.body().path("agent_secret").asText();
        assertTrue(newSecret.startsWith("ibas_"));
        assertEquals(2, winner.body().path("secret_version").asInt());
        assertEquals("no-store", winner.header("Cache-Control"));

        assertEquals("invalid_agent_credentials", self(broker, agent).problemType());
        assertEquals(200, self(broker, agent.withSecret(newSecret)).status());
        assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.secret.rotated'"
                + " AND outcome = 'success' AND subject = ?", agent.agentId()));
        String details = broker.query("SELECT details FROM audit_events WHERE type = 'agent.secret.rotated' AND subject = ?",
                agent.agentId()).toString();
        assertFalse(details.contains(newSecret) || details.contains(agent.secret()), "no secret in audit events");
    }

    @Test
    void thePreviousCertificateWorksInsideTheGraceWindowNotAfterItAndIsThenOnTheCrl() throws Exception {
        Duration grace = Duration.ofSeconds(4);
        try (BrokerInstance shortGrace = BrokerInstance.start(vault, Map.of("broker.rotation.grace", "4s",
                "broker.rotation.sweep-interval", "500ms"))) {
            Fixtures f = new Fixtures(shortGrace.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            Csrs.Csr csr = Csrs.p256();
            Instant rotatedAt = Instant.now();
            BrokerApi.Response r = rotate(agent.mtls(shortGrace, vault), agent, csr.pem());
            assertEquals(200, r.status(), r.raw());
            BrokerApi.Response inGrace = self(shortGrace, agent);
            assertTrue(Instant.now().isBefore(rotatedAt.plus(grace)), "test too slow to observe the grace window");
            assertEquals(200, inGrace.status(), inGrace.raw());
            assertFalse(Crls.lists(vault, "pki-tenants/acme", agent.serialNumber()));

            Thread.sleep(Duration.between(Instant.now(), rotatedAt.plus(grace)).toMillis() + 300);
            BrokerApi.Response after = self(shortGrace, agent);
            assertEquals(401, after.status(), after.raw());
            assertEquals("client_certificate_revoked", after.problemType());
            assertEquals(200, self(shortGrace, agent.rotated(csr.keys(), r.body())).status());

            waitFor(() -> shortGrace.count("SELECT count(*) FROM certificate_bindings WHERE serial_number = ? AND status = 'REVOKED'",
                    agent.serialNumber()) == 1, Duration.ofSeconds(15));
            assertTrue(Crls.lists(vault, "pki-tenants/acme", agent.serialNumber()), "previous serial on the tenant CRL");
            assertEquals(1, shortGrace.count("SELECT count(*) FROM audit_events WHERE type = 'agent.certificate.revoked'"
                    + " AND subject = ? AND details LIKE ?", agent.agentId(), "%" + agent.serialNumber() + "%"));
        }
    }

    @Test
    void withZeroGraceThePreviousCertificateIsRevokedAtOnce() {
        try (BrokerInstance noGrace = BrokerInstance.start(vault, Map.of("broker.rotation.grace", "0s"))) {
            Fixtures f = new Fixtures(noGrace.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            BrokerApi.Response r = rotate(agent.mtls(noGrace, vault), agent, Csrs.p256().pem());
            assertEquals(200, r.status(), r.raw());
            assertEquals("client_certificate_revoked", self(noGrace, agent).problemType());
            assertEquals(1, noGrace.count("SELECT count(*) FROM certificate_bindings WHERE serial_number = ? AND status = 'REVOKED'",
                    agent.serialNumber()));
            assertTrue(Crls.lists(vault, "pki-tenants/acme", agent.serialNumber()));
        }
    }

    static List<BrokerApi.Response> concurrently(java.util.function.IntFunction<BrokerApi.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BrokerApi.Response>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                int n = i;
                Callable<BrokerApi.Response> task = () -> {
                    go.await();
                    return call.apply(n);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<BrokerApi.Response> out = new ArrayList<>();
            for (Future<BrokerApi.Response> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    static String statuses(List<BrokerApi.Response> responses) {
        return responses.stream().map(r -> r.status() + ":" + r.problemType()).toList().toString();
    }
}
