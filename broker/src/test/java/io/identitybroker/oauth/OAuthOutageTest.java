package io.identitybroker.oauth;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TcpProxy;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.identitybroker.oauth.OAuthErrorResponsesTest.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Outages on the OAuth routes answer RFC 6749 JSON 503 {@code temporarily_unavailable} with
 * {@code Retry-After}, never problem+json: a sealed Vault (introspection fails closed even with the
 * caller's capability cached; the JWKS before the keys were ever read; signing at the token
 * endpoint) and an unreachable database.
 */
@ExtendWith(VaultExtension.class)
class OAuthOutageTest {

    @Test
    void aSealedVaultIsTemporarilyUnavailableOnIntrospectionJwksAndTokenAndRecoversOnUnseal() throws InterruptedException {
        TestVault vault = TestVault.startSealable();
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.admin.capability-cache-ttl", "30s",
                "broker.admin.vault-liveness-max-age", "0s"))) {
            BrokerApi api = broker.api();
            Fixtures fixtures = new Fixtures(api, vault);
            fixtures.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
            BrokerApi client = agent.mtls(broker, vault);
            assertEquals(200, api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken()).status(), "capability cached");

            vault.seal();
            BrokerApi.Response introspection = api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken());
            BrokerApi.Response jwks = api.get("/oauth2/jwks", null);
            BrokerApi.Response token = TokenRequests.post(client, TokenRequests.form(agent, ""));
            for (BrokerApi.Response r : new BrokerApi.Response[]{introspection, jwks, token}) {
                assertOAuthError(r, 503, "temporarily_unavailable");
                assertNotNull(r.header("Retry-After"), r.raw());
            }

            vault.unseal();
            // The keys are re-read at most every key-refresh-min-interval (5 s): wait for that, as a client would.
            BrokerApi.Response keys = api.get("/oauth2/jwks", null);
            for (long deadline = System.nanoTime() + 30_000_000_000L; keys.status() == 503 && System.nanoTime() < deadline; ) {
                Thread.sleep(250);
                keys = api.get("/oauth2/jwks", null);
            }
            assertEquals(200, keys.status(), keys.raw());
            assertEquals(200, api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken()).status());
        }
    }

    @Test
    void anUnreachableDatabaseIsTemporarilyUnavailableOnTokenAndIntrospection(TestVault vault) throws Exception {
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try (TcpProxy proxy = new TcpProxy(h2.getPort());
             BrokerInstance broker = BrokerInstance.start(vault, BrokerInstance.h2Through(proxy))) {
            BrokerApi api = broker.api();
            Fixtures fixtures = new Fixtures(api, vault);
            fixtures.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
            BrokerApi client = agent.mtls(broker, vault);
            String accessToken = TokenRequests.issue(client, agent);

            proxy.cut();
            BrokerApi.Response token = TokenRequests.post(client, TokenRequests.form(agent, ""));
            BrokerApi.Response introspection = api.postForm("/oauth2/introspect", "token=" + accessToken, vault.platformAdminToken());
            for (BrokerApi.Response r : new BrokerApi.Response[]{token, introspection}) {
                assertOAuthError(r, 503, "temporarily_unavailable");
                assertEquals("5", r.header("Retry-After"), r.raw());
            }

            proxy.restore();
            // The pool may still hold connections the outage killed; like a client, retry on 503.
            BrokerApi.Response again = TokenRequests.post(client, TokenRequests.form(agent, ""));
            for (int attempt = 0; again.status() == 503 && attempt < 20; attempt++) {
                Thread.sleep(500);
                again = TokenRequests.post(client, TokenRequests.form(agent, ""));
            }
            assertEquals(200, again.status(), again.raw());
        } finally {
            h2.stop();
        }
    }
}
