package io.identitybroker.tenant;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants declared in Vault KV v2 are created, updated and suspended by the broker, with audit events. */
@ExtendWith(VaultExtension.class)
class TenantDeclarationSyncTest {

    @Test
    void declaredTenantsAreCreatedUpdatedAndSuspendedBesideApiTenants(TestVault vault) throws Exception {
        String kv = "identity-broker-kv/data/tenants/";
        vault.request("DELETE", "identity-broker-kv/metadata/tenants/globex", null);
        vault.request("POST", kv + "globex", Map.of("data", Map.of("display_name", "Globex", "trust_domain",
                vault.trustDomain(), "pki_mount", "pki-tenants/globex", "pki_role", "agent")));
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.tenants.source", "api,vault-kv",
                "broker.tenants.sync-interval", "1h"))) {
            BrokerApi api = broker.api();
            Fixtures fixtures = new Fixtures(api, vault);
            fixtures.tenant("acme"); // through the API, beside the declared one

            // Created on start, usable for enrollment.
            BrokerApi.Response globex = api.get("/api/v1/tenants/globex", vault.platformAdminToken());
            assertEquals(200, globex.status(), globex.raw());
            assertEquals("Globex", globex.body().path("display_name").asText());
            assertEquals(200, fixtures.exchange(fixtures.tokenSecret("globex"), Csrs.p256().pem()).status());
            assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE chain = 'globex' AND type = 'tenant.created' "
                    + "AND actor = 'vault-kv-sync'"));

            // Changed in Vault: updated at the next sync.
            vault.request("POST", kv + "globex", Map.of("data", Map.of("display_name", "Globex Corporation", "trust_domain",
                    vault.trustDomain(), "pki_mount", "pki-tenants/globex", "pki_role", "agent")));
            broker.context().getBean(TenantSync.class).syncAll();
            assertEquals("Globex Corporation", api.get("/api/v1/tenants/globex", vault.platformAdminToken())
                    .body().path("display_name").asText());
            // Its status belongs to the declaration, not to PATCH.
            BrokerApi.Response patch = api.send("PATCH", "/api/v1/tenants/globex", Map.of("status", "suspended"),
                    vault.platformAdminToken(), Map.of());
            assertEquals(409, patch.status());
            assertEquals("tenant_declared_in_vault", patch.problemType());

            // Removed from Vault: suspended, never deleted; its tokens stop working. API tenants are untouched.
            String pending = fixtures.tokenSecret("globex");
            vault.request("DELETE", "identity-broker-kv/metadata/tenants/globex", null);
            broker.context().getBean(TenantSync.class).syncAll();
            BrokerApi.Response removed = api.get("/api/v1/tenants/globex", vault.platformAdminToken());
            assertEquals("suspended", removed.body().path("status").asText());
            assertEquals(401, fixtures.exchange(pending, Csrs.p256().pem()).status());
            assertEquals("active", api.get("/api/v1/tenants/acme", vault.platformAdminToken()).body().path("status").asText());
            assertTrue(broker.count("SELECT count(*) FROM audit_events WHERE chain = 'globex' AND type = 'tenant.updated' "
                    + "AND details LIKE '%declaration_removed%'") == 1);

            // Declared again: resumed at the next reference to it (an unknown or stale tenant triggers a lookup).
            vault.request("POST", kv + "globex", Map.of("data", Map.of("display_name", "Globex", "trust_domain",
                    vault.trustDomain())));
            broker.context().getBean(TenantSync.class).syncAll();
            assertEquals("active", api.get("/api/v1/tenants/globex", vault.platformAdminToken()).body().path("status").asText());
        } finally {
            vault.request("DELETE", "identity-broker-kv/metadata/tenants/globex", null);
        }
    }

    @Test
    void anUnknownTenantReferencedByAnAdminIsLookedUpInVaultAtOnce(TestVault vault) {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.tenants.source", "api,vault-kv",
                "broker.tenants.sync-interval", "1h"))) {
            vault.request("POST", "identity-broker-kv/data/tenants/globex", Map.of("data", Map.of("trust_domain",
                    vault.trustDomain())));
            BrokerApi.Response r = broker.api().post("/api/v1/tenants/globex/enrollment-tokens", Map.of("max_uses", 1),
                    vault.adminToken("globex"));
            assertEquals(201, r.status(), r.raw());
        } finally {
            vault.request("DELETE", "identity-broker-kv/metadata/tenants/globex", null);
        }
    }
}
