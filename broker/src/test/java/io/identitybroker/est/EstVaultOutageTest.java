package io.identitybroker.est;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vault unreachable under EST: 503 in plain text with Retry-After, the token unspent, and service again once Vault is back. */
@ExtendWith(VaultExtension.class)
class EstVaultOutageTest {

    @Test
    void whenVaultIsUnreachableEstAnswers503WithRetryAfterAndTheTokenStaysUsable(TestVault vault) {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort());
             BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.vault.address", proxy.url()))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            String token = fixtures.tokenSecret("acme");
            Map<String, String> headers = Map.of("Content-Type", "application/pkcs10",
                    "Authorization", EnrolledAgent.basic("device", token).get("Authorization"));

            proxy.cut();
            for (String path : new String[]{"/.well-known/est/acme/simpleenroll", "/.well-known/est/acme/cacerts"}) {
                BrokerApi.Response r = path.endsWith("cacerts") ? broker.api().get(path, null)
                        : broker.api().send("POST", path, EstEnrollmentTest.body(Csrs.p256()), null, headers);
                assertEquals(503, r.status(), path + " " + r.raw());
                assertTrue(r.raw().startsWith("vault_unavailable: "), r.raw());
                assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
                assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, path);
            }
            assertEquals(0, broker.count("SELECT count(*) FROM agents"));
            assertEquals(0, broker.count("SELECT uses FROM enrollment_tokens"));
            String details = broker.query("SELECT details FROM audit_events WHERE type = 'agent.enrollment.failed'").toString();
            assertTrue(details.contains("vault_unavailable") && details.contains("\"protocol\":\"est\""), details);

            proxy.restore();
            BrokerApi.Response again = broker.api().send("POST", "/.well-known/est/acme/simpleenroll",
                    EstEnrollmentTest.body(Csrs.p256()), null, headers);
            assertEquals(200, again.status(), again.raw());
            assertEquals(1, broker.count("SELECT count(*) FROM agents"));
        }
    }
}
