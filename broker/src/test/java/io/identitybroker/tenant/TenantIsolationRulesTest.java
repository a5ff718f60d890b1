package io.identitybroker.tenant;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules a tenant's definition must follow, through the API and through the Vault KV sync:
 * SPIFFE trust domains, and one PKI mount per tenant (reported at start when old data breaks it).
 */
class TenantIsolationRulesTest extends BrokerTest {

    @ParameterizedTest(name = "trust domain \"{0}\"")
    @ValueSource(strings = {".", "..", "a..b", ".example.org", "example.org.", "Example.org", "exa mple.org", "",
            "example.org/x", "example.org:8443", "ex%41mple.org"})
    void aTrustDomainBreakingTheSpiffeRulesIsRefusedAndNothingIsWritten(String trustDomain) {
        long events = broker.count("SELECT count(*) FROM audit_events");
        BrokerApi.Response r = api.post("/api/v1/tenants", Map.of("id", "badtd", "trust_domain", trustDomain,
                "pki_mount", "pki-tenants/globex"), vault.platformAdminToken());
        assertEquals(400, r.status(), r.raw());
        assertEquals("invalid_tenant", r.problemType());
        assertTrue(r.body().path("detail").asText().contains("trust_domain"), r.raw());
        assertEquals(0, broker.count("SELECT count(*) FROM tenants WHERE id = 'badtd'"));
        assertEquals(events, broker.count("SELECT count(*) FROM audit_events"));
    }

    @Test
    void aSecondTenantOnAMountAnotherTenantUsesIs409AndNothingIsWritten() {
        long events = broker.count("SELECT count(*) FROM audit_events");
        BrokerApi.Response r = api.post("/api/v1/tenants", Map.of("id", "intruder", "trust_domain", vault.trustDomain(),
                "pki_mount", "pki-tenants/acme"), vault.platformAdminToken());
        assertEquals(409, r.status(), r.raw());
        assertEquals("pki_mount_in_use", r.problemType());
        assertEquals(0, broker.count("SELECT count(*) FROM tenants WHERE id = 'intruder'"));
        assertEquals(events, broker.count("SELECT count(*) FROM audit_events"));
        assertEquals("acme", broker.query("SELECT tenant_id FROM pki_mount_owners WHERE pki_mount = 'pki-tenants/acme'")
                .get(0).get("tenant_id"));
    }

    @Test
    void aTenantOnAnotherMountWithAnotherTenantsIssuingCaIs409AndNothingIsWritten() throws Exception {
        // One CA imported into two mounts: the one way two mounts share an issuer.
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair caKeys = g.generateKeyPair();
        String bundle = io.identitybroker.testing.TestCertificates.pem(io.identitybroker.testing.TestCertificates.ca(caKeys, "CN=shared-ca"))
                + "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(caKeys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        java.util.List<String> mounts = java.util.List.of("pki-tenants/shadow-a-" + suffix, "pki-tenants/shadow-b-" + suffix);
        try {
            for (String mount : mounts) {
                vault.request("POST", "sys/mounts/" + mount, Map.of("type", "pki"));
                vault.request("POST", mount + "/config/ca", Map.of("pem_bundle", bundle));
                vault.request("POST", mount + "/roles/agent", Map.of("allowed_uri_sans", "spiffe://" + vault.trustDomain() + "/*",
                        "use_csr_sans", false, "use_csr_common_name", false));
            }
            BrokerApi.Response first = api.post("/api/v1/tenants", Map.of("id", "shadow-a-" + suffix, "trust_domain",
                    vault.trustDomain(), "pki_mount", mounts.get(0)), vault.platformAdminToken());
            assertEquals(201, first.status(), first.raw());
            long events = broker.count("SELECT count(*) FROM audit_events");

            BrokerApi.Response second = api.post("/api/v1/tenants", Map.of("id", "shadow-b-" + suffix, "trust_domain",
                    vault.trustDomain(), "pki_mount", mounts.get(1)), vault.platformAdminToken());
            assertEquals(409, second.status(), second.raw());
            assertEquals("pki_issuer_in_use", second.problemType());
            assertEquals(0, broker.count("SELECT count(*) FROM tenants WHERE id = ?", "shadow-b-" + suffix));
            assertEquals(0, broker.count("SELECT count(*) FROM pki_mount_owners WHERE pki_mount = ?", mounts.get(1)),
                    "the mount claim rolled back with the tenant");
            assertEquals(events, broker.count("SELECT count(*) FROM audit_events"));
        } finally {
            for (String mount : mounts) {
                vault.request("DELETE", "sys/mounts/" + mount, null);
            }
        }
    }

    @Test
    void invalidOrMountSharingDeclarationsInVaultKvAreLoggedAndSkipped() {
        String kv = "identity-broker-kv/data/tenants/";
        try (BrokerInstance synced = BrokerInstance.start(vault, Map.of("broker.tenants.source", "api,vault-kv",
                "broker.tenants.sync-interval", "1h"))) {
            new io.identitybroker.testing.Fixtures(synced.api(), vault).tenant("acme");
            vault.request("POST", kv + "baddomain", Map.of("data", Map.of("trust_domain", "bad..domain",
                    "pki_mount", "pki-tenants/globex")));
            vault.request("POST", kv + "sharer", Map.of("data", Map.of("trust_domain", vault.trustDomain(),
                    "pki_mount", "pki-tenants/acme")));
            String logs;
            try (LogCapture capture = new LogCapture()) {
                synced.context().getBean(TenantSync.class).syncAll();
                logs = capture.text();
            }
            assertEquals(0, synced.count("SELECT count(*) FROM tenants WHERE id IN ('baddomain', 'sharer')"));
            assertTrue(logs.contains("Tenant declaration baddomain rejected") && logs.contains("trust_domain"), logs);
            assertTrue(logs.contains("Tenant declaration sharer rejected") && logs.contains("PKI mount"), logs);
        } finally {
            vault.request("DELETE", "identity-broker-kv/metadata/tenants/baddomain", null);
            vault.request("DELETE", "identity-broker-kv/metadata/tenants/sharer", null);
        }
    }

    @Test
    void tenantsSharingAMountInOlderDataAreReportedAtStartAndLeftUnchanged() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000;DB_CLOSE_DELAY=-1";
        try (BrokerInstance first = BrokerInstance.start(vault, Map.of("datasources.default.url", url))) {
            new io.identitybroker.testing.Fixtures(first.api(), vault).tenant("acme");
            // As an older database may hold it: a second tenant on acme's mount, written before the rule.
            first.update("INSERT INTO tenants (id, display_name, trust_domain, pki_mount, pki_role, status, created_at, "
                    + "updated_at, source, allow_dns_san) SELECT 'legacy', 'Legacy', trust_domain, pki_mount, pki_role, status, "
                    + "created_at, updated_at, source, allow_dns_san FROM tenants WHERE id = 'acme'");
        }
        String logs;
        try (LogCapture capture = new LogCapture();
             BrokerInstance again = BrokerInstance.start(vault, Map.of("datasources.default.url", url))) {
            logs = capture.text();
            assertEquals("pki-tenants/acme", again.query("SELECT pki_mount FROM tenants WHERE id = 'legacy'").get(0).get("pki_mount"));
        }
        assertTrue(logs.contains("Tenant legacy shares PKI mount pki-tenants/acme with tenant acme"), logs);
        assertTrue(logs.contains("Tenant legacy (PKI mount pki-tenants/acme) shares its issuing CA with tenant acme"), logs);
    }
}
