package io.identitybroker.spiffe;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TcpProxy;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * With Vault unreachable the bundle is still served, unchanged (from memory, even across a failed
 * refresh), while JWT-SVIDs fail with 503 and an audited refusal, and work again once Vault is back.
 */
@ExtendWith(VaultExtension.class)
class SpiffeVaultOutageTest {

    @Test
    void theBundleOutlivesAVaultOutageWhileJwtSvidsWaitForIt(TestVault vault) {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort());
             BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.vault.address", proxy.url()))) {
            Fixtures f = new Fixtures(broker.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            BrokerApi client = agent.mtls(broker, vault);
            Map<String, List<String>> body = Map.of("audience", List.of("a"));
            assertEquals(200, client.send("POST", agent.path() + "/jwt-svids", body, null, agent.basic()).status());
            String path = "/spiffe/bundles/" + vault.trustDomain();
            BrokerApi.Response before = broker.api().get(path, null);
            assertEquals(200, before.status(), before.raw());

            proxy.cut();
            broker.context().getBean(TrustBundles.class).refresh(true); // fails to read Vault: keeps what it had
            BrokerApi.Response during = broker.api().get(path, null);
            assertEquals(200, during.status(), during.raw());
            assertEquals(before.body(), during.body());

            long successes = broker.count("SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued' AND outcome = 'success'");
            BrokerApi.Response refused = client.send("POST", agent.path() + "/jwt-svids", body, null, agent.basic());
            assertEquals(503, refused.status(), refused.raw());
            assertEquals("vault_unavailable", refused.problemType());
            assertNotNull(refused.header("Retry-After"));
            assertEquals(1, broker.count("SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued'"
                    + " AND outcome = 'failure' AND details LIKE '%vault_unavailable%'"));
            assertEquals(successes, broker.count(
                    "SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued' AND outcome = 'success'"));

            proxy.restore();
            assertEquals(200, client.send("POST", agent.path() + "/jwt-svids", body, null, agent.basic()).status(),
                    "JWT-SVIDs work again once Vault is back");
        }
    }
}
