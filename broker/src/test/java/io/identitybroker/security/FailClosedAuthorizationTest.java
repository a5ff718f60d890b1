package io.identitybroker.security;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admin authorization fails closed: a sealed Vault denies (503) the very next admin request of a
 * caller whose capabilities are cached; a token revoked in Vault stops working within the
 * configured cache lifetime; a lifetime over the documented maximum stops the broker's start.
 */
@ExtendWith(VaultExtension.class)
class FailClosedAuthorizationTest {

    @Test
    void aSealedVaultDeniesTheNextAdminRequestEvenWithCapabilitiesCachedAndRecoversOnUnseal() {
        TestVault vault = TestVault.startSealable();
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.admin.capability-cache-ttl", "30s",
                "broker.admin.vault-liveness-max-age", "0s"))) {
            BrokerApi api = broker.api();
            new Fixtures(api, vault).tenant("acme");
            List<String> routes = List.of("/api/v1/tenants/acme", "/api/v1/tenants", "/api/v1/tenants/acme/agents");
            for (String route : routes) {
                assertEquals(200, api.get(route, vault.adminToken("acme")).status(), route + " cached");
            }
            BrokerApi.Response introspection = api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken());
            assertEquals(200, introspection.status(), introspection.raw());

            vault.seal();
            for (String route : routes) {
                BrokerApi.Response r = api.get(route, vault.adminToken("acme"));
                assertEquals(503, r.status(), route + ": " + r.raw());
                assertEquals("vault_unavailable", r.problemType());
                assertNotNull(r.header("Retry-After"));
            }
            assertEquals(503, api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken()).status(),
                    "a resource server's cached capability fails closed too");

            vault.unseal();
            for (String route : routes) {
                assertEquals(200, api.get(route, vault.adminToken("acme")).status(), route + " after unseal");
            }
        }
    }

    @Test
    void withTheDefaultLivenessAgeASealedVaultDeniesEveryCachedDecisionOnceThatAgeHasPassed() throws InterruptedException {
        TestVault vault = TestVault.startSealable();
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.admin.capability-cache-ttl", "30s"))) {
            BrokerApi api = broker.api();
            new Fixtures(api, vault).tenant("acme");
            assertEquals(200, api.get("/api/v1/tenants/acme", vault.adminToken("acme")).status());
            assertEquals(200, api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken()).status());

            vault.seal();
            Thread.sleep(150); // the documented bound: 100 ms since the last probe that found Vault up
            for (int i = 0; i < 20; i++) {
                BrokerApi.Response r = api.get("/api/v1/tenants/acme", vault.adminToken("acme"));
                assertEquals(503, r.status(), r.raw());
                assertEquals(503, api.postForm("/oauth2/introspect", "token=x", vault.platformAdminToken()).status());
            }
            vault.unseal();
            assertEquals(200, api.get("/api/v1/tenants/acme", vault.adminToken("acme")).status());
        }
    }

    @Test
    void aTokenRevokedInVaultStopsWorkingWithinTheCacheLifetime(TestVault vault) throws InterruptedException {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.admin.capability-cache-ttl", "2s"))) {
            BrokerApi api = broker.api();
            new Fixtures(api, vault).tenant("acme");
            String child = vault.request("POST", "auth/token/create", Map.of("policies", List.of("platform-admin"), "ttl", "10m"))
                    .path("auth").path("client_token").asText();
            assertEquals(200, api.get("/api/v1/tenants/acme", child).status());

            vault.request("POST", "auth/token/revoke", Map.of("token", child));
            long revokedAt = System.nanoTime();
            int status = 200;
            while (status == 200 && System.nanoTime() - revokedAt < 10_000_000_000L) {
                status = api.get("/api/v1/tenants/acme", child).status();
                Thread.sleep(100);
            }
            long millis = (System.nanoTime() - revokedAt) / 1_000_000;
            assertEquals(401, status);
            assertTrue(millis <= 2_000 + 1_500, "refused " + millis + " ms after revocation; bound 2 s");
        }
    }
}
