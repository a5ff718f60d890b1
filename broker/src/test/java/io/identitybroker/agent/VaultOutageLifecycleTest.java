package io.identitybroker.agent;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TcpProxy;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * With Vault unreachable, agent authentication still works (it needs only the database and the
 * cached anchors), and rotations and revocations fail with 503 leaving nothing half-written.
 */
@ExtendWith(VaultExtension.class)
class VaultOutageLifecycleTest {

    @Test
    void rotationAndRevocationFailCleanlyWhileVaultIsDown(TestVault vault) {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort());
             BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.vault.address", proxy.url()))) {
            Fixtures f = new Fixtures(broker.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            EnrolledAgent doomed = EnrolledAgent.enroll(f, "acme");
            String admin = vault.adminToken("acme");
            String doomedPath = "/api/v1/tenants/acme/agents/" + doomed.agentId();
            // Warms the admin's identity and capability cache for exactly the virtual path and capability of
            // the revoke route: even so, the outage denies the revocation (authorization fails closed).
            assertEquals(200, broker.api().post(doomedPath + "/revoke-secret", null, admin).status());

            proxy.cut();
            BrokerApi client = agent.mtls(broker, vault);
            assertEquals(200, client.send("GET", agent.path(), null, null, agent.basic()).status());

            BrokerApi.Response rotate = client.send("POST", agent.path() + "/certificate/rotate",
                    Map.of("csr", Csrs.p256().pem()), null, agent.basic());
            assertEquals(503, rotate.status(), rotate.raw());
            assertEquals("vault_unavailable", rotate.problemType());
            assertNotNull(rotate.header("Retry-After"));
            assertEquals("CURRENT", broker.query("SELECT status FROM certificate_bindings WHERE x5t_s256 = ?", agent.x5t())
                    .get(0).get("status"));
            assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ?", agent.agentId()));

            BrokerApi.Response revoke = broker.api().post(doomedPath + "/revoke", null, admin);
            assertEquals(503, revoke.status(), revoke.raw());
            assertEquals("vault_unavailable", revoke.problemType(), revoke.raw());
            assertEquals("ACTIVE", broker.query("SELECT status FROM agents WHERE id = ?", doomed.agentId()).get(0).get("status"));
            assertEquals(0, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'REVOKED'",
                    doomed.agentId()));
            assertEquals(0, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.revoked' AND subject = ?",
                    doomed.agentId()));

            proxy.restore();
            assertEquals(200, client.send("POST", agent.path() + "/certificate/rotate", Map.of("csr", Csrs.p256().pem()),
                    null, agent.basic()).status(), "the rotation works again once Vault is back");
            assertEquals(200, broker.api().post(doomedPath + "/revoke", null, admin).status());
        }
    }
}
