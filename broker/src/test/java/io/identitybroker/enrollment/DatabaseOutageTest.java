package io.identitybroker.enrollment;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TcpProxy;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The database is reached before Vault: when it is down, nothing is signed and the caller may retry. */
@ExtendWith(VaultExtension.class)
class DatabaseOutageTest {

    @Test
    void databaseDownFailsTheExchangeWith503BeforeVaultIsCalled(TestVault vault) throws Exception {
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try (TcpProxy proxy = new TcpProxy(h2.getPort());
             BrokerInstance broker = BrokerInstance.start(vault, BrokerInstance.h2Through(proxy))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            var token = fixtures.token("acme", 1, 600);
            int signedBefore = vault.certificateCount("pki-tenants/acme");

            proxy.cut();
            BrokerApi.Response r = fixtures.exchange(token.path("token").asText(), Csrs.p256().pem());
            assertEquals(503, r.status(), r.raw());
            assertEquals("database_unavailable", r.problemType());
            assertNotNull(r.header("Retry-After"));
            assertEquals(signedBefore, vault.certificateCount("pki-tenants/acme"), "Vault was not asked to sign");

            proxy.restore();
            // The pool may still hold connections the outage killed; like a client, retry on 503.
            BrokerApi.Response again = fixtures.exchange(token.path("token").asText(), Csrs.p256().pem());
            for (int attempt = 0; again.status() == 503 && attempt < 20; attempt++) {
                Thread.sleep(500);
                again = fixtures.exchange(token.path("token").asText(), Csrs.p256().pem());
            }
            assertEquals(200, again.status(), again.raw());
            assertEquals(signedBefore + 1, vault.certificateCount("pki-tenants/acme"));
        } finally {
            h2.stop();
        }
    }
}
