package io.identitybroker.enrollment;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
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

/** Vault unreachable: 503 with Retry-After, nothing half-written, and the token survives. */
@ExtendWith(VaultExtension.class)
class VaultOutageTest {

    @Test
    void vaultUnreachableDuringExchangeAnswers503AndTheTokenStaysUsable(TestVault vault) {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort());
             BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.vault.address", proxy.url(),
                     "broker.admin.capability-cache-ttl", "0s"))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            var token = fixtures.token("acme", 1, 600);
            String secret = token.path("token").asText();

            proxy.cut();
            BrokerApi.Response r = fixtures.exchange(secret, Csrs.p256().pem());
            assertEquals(503, r.status(), r.raw());
            assertEquals("vault_unavailable", r.problemType());
            assertNotNull(r.header("Retry-After"));
            assertEquals(0, broker.count("SELECT count(*) FROM agents"));
            assertEquals(0, broker.count("SELECT uses FROM enrollment_tokens WHERE id = ?", token.path("id").asText()));
            assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.enrollment.failed' "
                    + "AND details LIKE '%vault_unavailable%'"));

            // Admin authorization fails closed while Vault is away.
            BrokerApi.Response admin = broker.api().get("/api/v1/tenants/acme", vault.adminToken("acme"));
            assertEquals(503, admin.status(), admin.raw());

            proxy.restore();
            BrokerApi.Response again = fixtures.exchange(secret, Csrs.p256().pem());
            assertEquals(200, again.status(), again.raw());
            assertEquals(1, broker.count("SELECT count(*) FROM agents"));
        }
    }
}
