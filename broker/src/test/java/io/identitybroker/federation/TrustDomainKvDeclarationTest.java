package io.identitybroker.federation;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestCertificates;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Foreign trust domains declared in Vault KV ({@code identity-broker-kv/trust-domains/<name>}) are
 * declared, changed and removed by the sync, audited, and cannot be changed through the API.
 */
@ExtendWith(VaultExtension.class)
class TrustDomainKvDeclarationTest {
    private static final String KV = "identity-broker-kv/data/trust-domains/";

    private static String bundleJson(int cas) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < cas; i++) {
            String der = Base64.getEncoder().encodeToString(TestCertificates.ca(gen.generateKeyPair(), "CN=kv-" + i).getEncoded());
            keys.append(i == 0 ? "" : ",").append("{\"use\":\"x509-svid\",\"kty\":\"EC\",\"x5c\":[\"").append(der).append("\"]}");
        }
        return "{\"keys\":[" + keys + "]}";
    }

    @Test
    void aDeclarationInVaultKvBecomesATrustDomainThatOnlyKvChanges(TestVault vault) throws Exception {
        vault.request("DELETE", "identity-broker-kv/metadata/trust-domains/kv.example", null);
        vault.request("POST", KV + "kv.example", Map.of("data", Map.of("profile", "static", "bundle", bundleJson(1))));
        vault.request("POST", KV + "Invalid_Name", Map.of("data", Map.of("profile", "static", "bundle", bundleJson(1))));
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.federation.source", "api,vault-kv",
                "broker.federation.kv-sync-interval", "1h"))) {
            BrokerApi api = broker.api();
            TrustDomainSync sync = broker.context().getBean(TrustDomainSync.class);
            String platform = vault.platformAdminToken();
            sync.syncAll();
            BrokerApi.Response td = api.get("/api/v1/trust-domains/kv.example", platform);
            assertEquals(200, td.status(), td.raw());
            assertEquals("vault-kv", td.body().path("source").asText());
            assertEquals(1, td.body().path("x509_authorities").asInt(), td.raw());
            assertEquals(1, api.get("/api/v1/trust-domains", platform).body().path("trust_domains").size(),
                    "the invalid declaration was skipped");

            BrokerApi.Response put = api.send("PUT", "/api/v1/trust-domains/kv.example",
                    Map.of("bundle", Map.of("keys", List.of())), platform, Map.of());
            assertEquals(409, put.status(), put.raw());
            assertEquals("trust_domain_declared_in_vault", put.problemType());

            vault.request("POST", KV + "kv.example", Map.of("data", Map.of("profile", "static", "bundle", bundleJson(2))));
            sync.syncAll();
            sync.syncAll();
            assertEquals(2, api.get("/api/v1/trust-domains/kv.example", platform).body().path("x509_authorities").asInt());

            new Fixtures(api, vault).tenant("acme");
            BrokerApi.Response client = api.post("/api/v1/tenants/acme/external-clients",
                    Map.of("spiffe_id", "spiffe://kv.example/w"), vault.adminToken("acme"));
            assertEquals(201, client.status(), client.raw());
            vault.request("DELETE", "identity-broker-kv/metadata/trust-domains/kv.example", null);
            sync.syncAll();
            assertEquals(200, api.get("/api/v1/trust-domains/kv.example", platform).status(), "kept while a client names it");
            assertEquals(204, api.send("DELETE", "/api/v1/tenants/acme/external-clients/" + client.body().path("client_id").asText(),
                    null, vault.adminToken("acme"), Map.of()).status());
            sync.syncAll();
            assertEquals(404, api.get("/api/v1/trust-domains/kv.example", platform).status());

            List<Object> types = broker.query("SELECT type FROM audit_events WHERE subject = 'kv.example' ORDER BY seq")
                    .stream().map(e -> e.get("type")).toList();
            assertEquals(List.of("federation.trust_domain.declared", "federation.trust_domain.changed",
                    "federation.trust_domain.removed"), types);
            assertTrue(broker.query("SELECT actor FROM audit_events WHERE subject = 'kv.example'").stream()
                    .allMatch(e -> "vault-kv-sync".equals(e.get("actor"))));
        } finally {
            vault.request("DELETE", "identity-broker-kv/metadata/trust-domains/kv.example", null);
            vault.request("DELETE", "identity-broker-kv/metadata/trust-domains/Invalid_Name", null);
        }
    }
}
