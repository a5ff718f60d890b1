package io.identitybroker.vault;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A sealed Vault: 503s and nothing half-written; unsealed, the same broker process recovers. */
class SealedVaultTest {

    @Test
    void sealedVaultMeans503AndHealthDownAndTheSameBrokerRecoversOnUnseal() {
        TestVault vault = TestVault.startSealable();
        try (BrokerInstance broker = BrokerInstance.start(vault, java.util.Map.of("broker.admin.capability-cache-ttl", "0s"))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            var token = fixtures.token("acme", 1, 600);
            assertEquals(200, fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem()).status());

            vault.seal();
            BrokerApi.Response r = fixtures.exchange(token.path("token").asText(), Csrs.p256().pem());
            assertEquals(503, r.status(), r.raw());
            assertEquals("vault_unavailable", r.problemType());
            assertNotNull(r.header("Retry-After"));
            BrokerApi.Response admin = broker.api().get("/api/v1/tenants/acme", vault.adminToken("acme"));
            assertEquals(503, admin.status(), "authorization fails closed: " + admin.raw());
            BrokerApi.Response health = broker.api().get("/health", null);
            assertEquals(503, health.status());
            // details need a token Vault vouches for, so with Vault sealed everyone sees the status only
            assertEquals("DOWN", health.body().path("status").asText(), health.raw());
            assertEquals(503, broker.api().get("/health", vault.platformAdminToken()).status());
            assertEquals(1, broker.count("SELECT count(*) FROM agents"), "nothing half-written");
            assertEquals(0, broker.count("SELECT uses FROM enrollment_tokens WHERE id = ?", token.path("id").asText()));

            vault.unseal();
            BrokerApi.Response again = fixtures.exchange(token.path("token").asText(), Csrs.p256().pem());
            assertEquals(200, again.status(), again.raw());
            assertEquals(200, broker.api().get("/api/v1/tenants/acme", vault.adminToken("acme")).status());
            assertEquals(200, broker.api().get("/health", null).status());
        }
    }
}
