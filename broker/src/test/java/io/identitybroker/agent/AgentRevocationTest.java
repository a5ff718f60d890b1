package io.identitybroker.agent;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Crls;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.MtlsClient;
import io.identitybroker.testing.RawHttpsConnection;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin revocation of agents and secrets: immediate, per request, on the CRL, and durable. */
@ExtendWith(VaultExtension.class)
class AgentRevocationTest {
    private static TestVault vault;
    private static BrokerInstance broker;
    private static Fixtures fixtures;

    @BeforeAll
    static void start(TestVault testVault) {
        vault = testVault;
        broker = BrokerInstance.start(vault);
        fixtures = new Fixtures(broker.api(), vault);
        fixtures.tenant("acme");
        fixtures.tenant("globex");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static BrokerApi.Response revoke(BrokerInstance b, TestVault vault, EnrolledAgent agent, String what) {
        return b.api().post("/api/v1/tenants/" + agent.tenant() + "/agents/" + agent.agentId() + "/" + what, null,
                vault.adminToken(agent.tenant()));
    }

    @Test
    void afterAnAdminRevokeTheOpenConnectionLaterRotationsAndARestartedBrokerAllRefuseTheAgent(@TempDir Path dir)
            throws Exception {
        Map<String, Object> fileDb = new HashMap<>();
        fileDb.put("datasources.default.url", "jdbc:h2:file:" + dir.resolve("broker")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000");
        EnrolledAgent previous;
        EnrolledAgent agent;
        try (BrokerInstance first = BrokerInstance.start(vault, fileDb)) {
            Fixtures f = new Fixtures(first.api(), vault);
            f.tenant("acme");
            previous = EnrolledAgent.enroll(f, "acme");
            Csrs.Csr csr = Csrs.p256();
            BrokerApi.Response rotated = CertificateRotationTest.rotate(previous.mtls(first, vault), previous, csr.pem());
            assertEquals(200, rotated.status(), rotated.raw());
            agent = previous.rotated(csr.keys(), rotated.body());

            // One keep-alive connection (one TLS session) before and after the revocation.
            try (RawHttpsConnection conn = new RawHttpsConnection(
                    MtlsClient.sslContext(vault, agent.chain(), agent.keys().getPrivate()), first.api().baseUrl())) {
                assertEquals(200, conn.request("GET", agent.path(), agent.basic()).status());
                // the same with java.net.http: one client, whose pooled connection is reused
                BrokerApi client = agent.mtls(first, vault);
                assertEquals(200, client.send("GET", agent.path(), null, null, agent.basic()).status());

                BrokerApi.Response revoked = revoke(first, vault, agent, "revoke");
                assertEquals(200, revoked.status(), revoked.raw());
                assertEquals("revoked", revoked.body().path("status").asText());

                RawHttpsConnection.Response next = conn.request("GET", agent.path(), agent.basic());
                assertEquals(401, next.status(), next.body());
                assertTrue(next.body().contains("client_certificate_revoked"), next.body());
                BrokerApi.Response viaPool = client.send("GET", agent.path(), null, null, agent.basic());
                assertEquals(401, viaPool.status());
                assertEquals("client_certificate_revoked", viaPool.problemType());
            }
            // every later rotation is refused, with the current or the previous certificate
            for (EnrolledAgent as : List.of(agent, previous)) {
                BrokerApi.Response r = CertificateRotationTest.rotate(as.mtls(first, vault), as, Csrs.p256().pem());
                assertEquals(401, r.status(), r.raw());
                assertEquals("client_certificate_revoked", r.problemType());
            }
            // both serials are on the tenant's CRL
            X509CRL crl = Crls.of(vault, "pki-tenants/acme");
            assertNotNull(crl.getRevokedCertificate(Crls.serial(agent.serialNumber())), "current serial on the CRL");
            assertNotNull(crl.getRevokedCertificate(Crls.serial(previous.serialNumber())), "previous serial on the CRL");
            assertEquals(1, first.count("SELECT count(*) FROM audit_events WHERE type = 'agent.revoked' AND subject = ?",
                    agent.agentId()));
            // revoking again changes nothing and records nothing
            assertEquals(200, revoke(first, vault, agent, "revoke").status());
            assertEquals(1, first.count("SELECT count(*) FROM audit_events WHERE type = 'agent.revoked' AND subject = ?",
                    agent.agentId()));
        }
        try (BrokerInstance restarted = BrokerInstance.start(vault, fileDb)) {
            BrokerApi.Response r = agent.mtls(restarted, vault).send("GET", agent.path(), null, null, agent.basic());
            assertEquals(401, r.status(), r.raw());
            assertEquals("client_certificate_revoked", r.problemType());
            assertEquals(0, restarted.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status <> 'REVOKED'",
                    agent.agentId()));
            assertEquals("REVOKED", restarted.query("SELECT status FROM agents WHERE id = ?", agent.agentId()).get(0).get("status"));
            // enrolling again yields a new agent id; the old one stays revoked
            EnrolledAgent again = EnrolledAgent.enroll(new Fixtures(restarted.api(), vault), "acme");
            assertNotEquals(agent.agentId(), again.agentId());
            assertEquals(200, again.mtls(restarted, vault).send("GET", again.path(), null, null, again.basic()).status());
            assertEquals("REVOKED", restarted.query("SELECT status FROM agents WHERE id = ?", agent.agentId()).get(0).get("status"));
        }
    }

    @Test
    void revokingTheSecretStopsItAtOnce() {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        BrokerApi client = agent.mtls(broker, vault);
        assertEquals(200, client.send("GET", agent.path(), null, null, agent.basic()).status());
        BrokerApi.Response r = revoke(broker, vault, agent, "revoke-secret");
        assertEquals(200, r.status(), r.raw());
        BrokerApi.Response after = client.send("GET", agent.path(), null, null, agent.basic());
        assertEquals(401, after.status());
        assertEquals("invalid_agent_credentials", after.problemType());
        assertEquals("invalid_agent_credentials",
                client.send("POST", agent.path() + "/rotate-secret", null, null, agent.basic()).problemType());
        assertEquals(200, revoke(broker, vault, agent, "revoke-secret").status());
        assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.secret.revoked' AND subject = ?",
                agent.agentId()));
        assertEquals(1, broker.count("SELECT count(*) FROM agents WHERE id = ? AND secret_hash IS NULL AND status = 'ACTIVE'",
                agent.agentId()));
    }

    @Test
    void revocationIsAnAdminRightOfTheAgentsTenantOnly() {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        for (String what : List.of("revoke", "revoke-secret")) {
            String path = "/api/v1/tenants/acme/agents/" + agent.agentId() + "/" + what;
            assertEquals(404, broker.api().post(path, null, vault.adminToken("globex")).status());
            assertEquals(401, broker.api().post(path, null, null).status());
            assertEquals(404, broker.api().post("/api/v1/tenants/globex/agents/" + agent.agentId() + "/" + what, null,
                    vault.adminToken("globex")).status(), "an acme agent does not exist in globex");
        }
        assertEquals(200, agent.mtls(broker, vault).send("GET", agent.path(), null, null, agent.basic()).status());
    }

    @Test
    void revocationWinsOverRotationsRacingIt() throws Exception {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        BrokerApi client = agent.mtls(broker, vault);
        List<Csrs.Csr> csrs = new ArrayList<>();
        for (int i = 0; i < CertificateRotationTest.CONCURRENT; i++) {
            csrs.add(Csrs.p256());
        }
        List<BrokerApi.Response> responses = CertificateRotationTest.concurrently(i -> i == 3
                ? revoke(broker, vault, agent, "revoke")
                : CertificateRotationTest.rotate(client, agent, csrs.get(i).pem()));
        assertEquals(200, responses.get(3).status(), responses.get(3).raw());
        assertEquals("REVOKED", broker.query("SELECT status FROM agents WHERE id = ?", agent.agentId()).get(0).get("status"));
        // whatever rotation got in before the revocation, no binding of the agent survives it,
        // and every certificate Vault signed for it is on the CRL
        List<Map<String, Object>> bindings = broker.query("SELECT serial_number, status FROM certificate_bindings WHERE agent_id = ?",
                agent.agentId());
        X509CRL crl = Crls.of(vault, "pki-tenants/acme");
        for (Map<String, Object> b : bindings) {
            assertEquals("REVOKED", b.get("status"), bindings.toString());
            assertNotNull(crl.getRevokedCertificate(Crls.serial((String) b.get("serial_number"))), bindings.toString());
        }
        for (int i = 0; i < responses.size(); i++) {
            if (i != 3) {
                assertTrue(List.of(200, 401, 409).contains(responses.get(i).status()), CertificateRotationTest.statuses(responses));
            }
        }
    }
}
