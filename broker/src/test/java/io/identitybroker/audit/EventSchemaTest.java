package io.identitybroker.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.identitybroker.issuance.IssuanceReconciler;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.EventContracts;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event contracts in docs/events/: one schema per audit event type, an AsyncAPI document
 * naming them all, and real events of every type conforming. (Every broker the suite starts has
 * its events validated on close as well, see BrokerInstance#close.)
 */
@ExtendWith(VaultExtension.class)
class EventSchemaTest {
    static final Set<String> TYPES = Set.of("tenant.created", "tenant.updated", "agent.enrollment_token.issued",
            "agent.enrollment_token.revoked", "agent.enrollment.failed", "agent.enrolled", "agent.certificate.rotated",
            "agent.secret.rotated", "agent.secret.revoked", "agent.revoked", "agent.certificate.revoked",
            "oauth.client_authentication.failed", "agent.jwt_svid.issued", "agent.issuance.reconciled", "federation.trust_domain.declared",
            "federation.trust_domain.changed", "federation.trust_domain.removed", "external_client.registered",
            "external_client.changed", "external_client.removed");

    @Test
    void everyTypeHasASchemaAndTheAsyncApiDocumentNamesIt() throws Exception {
        assertEquals(new TreeSet<>(TYPES), EventContracts.types());
        String asyncapi = Files.readString(EventContracts.directory().resolve("asyncapi.yaml"));
        for (String type : TYPES) {
            assertTrue(asyncapi.contains("name: " + type + "\n"), type);
            assertTrue(asyncapi.contains("$ref: './" + type + ".schema.json'"), type);
        }
    }

    /** Declares, changes and removes a static foreign trust domain and an external client of it. */
    private static void federationEvents(BrokerApi api, TestVault vault) throws Exception {
        var gen = java.security.KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        var ca = io.identitybroker.testing.TestCertificates.ca(gen.generateKeyPair(), "CN=foreign");
        Map<String, Object> bundle = Map.of("keys", List.of(Map.of("use", "x509-svid", "kty", "EC",
                "x5c", List.of(java.util.Base64.getEncoder().encodeToString(ca.getEncoded())))));
        String platform = vault.platformAdminToken();
        assertEquals(201, api.post("/api/v1/trust-domains", Map.of("name", "foreign.example", "bundle", bundle), platform).status());
        assertEquals(200, api.send("PUT", "/api/v1/trust-domains/foreign.example", Map.of("bundle", bundle), platform,
                Map.of()).status());
        String admin = vault.adminToken("acme");
        BrokerApi.Response client = api.post("/api/v1/tenants/acme/external-clients",
                Map.of("spiffe_id", "spiffe://foreign.example/w/*", "scopes", List.of("a")), admin);
        assertEquals(201, client.status(), client.raw());
        String path = "/api/v1/tenants/acme/external-clients/" + client.body().path("client_id").asText();
        assertEquals(200, api.send("PATCH", path, Map.of("labels", Map.of("k", "v")), admin, Map.of()).status());
        assertEquals(204, api.send("DELETE", path, null, admin, Map.of()).status());
        assertEquals(204, api.send("DELETE", "/api/v1/trust-domains/foreign.example", null, platform, Map.of()).status());
    }

    @Test
    void eventsOfEveryTypeConformAndTheSchemasAreStrict(TestVault vault) throws Exception {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.rotation.grace", "0s",
                "broker.issuance.reconcile-initial-delay", "1h"))) {
            BrokerApi api = broker.api();
            Fixtures f = new Fixtures(api, vault);
            f.tenant("acme");
            assertEquals(200, api.send("PATCH", "/api/v1/tenants/acme", Map.of("display_name", "Acme Inc"),
                    vault.platformAdminToken(), Map.of()).status());
            JsonNode token = f.token("acme", 1, 600);
            assertEquals(204, api.send("DELETE", "/api/v1/tenants/acme/enrollment-tokens/" + token.path("id").asText(),
                    null, vault.adminToken("acme"), Map.of()).status());
            assertEquals(401, f.exchange(token.path("token").asText(), Csrs.p256().pem()).status());
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            BrokerApi client = agent.mtls(broker, vault);
            assertEquals(200, client.postForm("/oauth2/token", "grant_type=client_credentials&client_id=" + agent.agentId(),
                    null).status());
            assertEquals(401, api.postForm("/oauth2/token", "grant_type=client_credentials&client_id=" + agent.agentId(),
                    null).status(), "no client certificate");
            assertEquals(200, client.send("POST", agent.path() + "/certificate/rotate", Map.of("csr", Csrs.p256().pem()),
                    null, agent.basic()).status());
            assertEquals(401, client.send("POST", agent.path() + "/certificate/rotate", Map.of("csr", Csrs.p256().pem()),
                    null, agent.basic()).status(), "grace 0: the old certificate is revoked at once");
            EnrolledAgent other = EnrolledAgent.enroll(f, "acme");
            BrokerApi otherClient = other.mtls(broker, vault);
            assertEquals(200, otherClient.send("POST", other.path() + "/jwt-svids", Map.of("audience", List.of("a")),
                    null, other.basic()).status());
            assertEquals(200, otherClient.send("POST", other.path() + "/rotate-secret", null, null, other.basic()).status());
            assertEquals(401, otherClient.send("POST", other.path() + "/rotate-secret", null, null, other.basic()).status());
            String admin = vault.adminToken("acme");
            assertEquals(200, api.post("/api/v1/tenants/acme/agents/" + other.agentId() + "/revoke-secret", null, admin).status());
            assertEquals(200, api.post("/api/v1/tenants/acme/agents/" + other.agentId() + "/revoke", null, admin).status());
            // An intent left by a broker that died before Vault signed (see SignThenCrashTest for the real crash).
            broker.update("INSERT INTO issuance_intents (id, kind, tenant_id, pki_mount, pki_role, agent_id, spiffe_id,"
                    + " created_at) VALUES (?, 'enrollment', 'acme', 'pki-tenants/acme', 'agent', ?, ?, ?)", UUID.randomUUID().toString(),
                    agent.agentId(), "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/" + UUID.randomUUID(),
                    java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(3600)));
            assertEquals(1, broker.context().getBean(IssuanceReconciler.class).reconcileStale());
            federationEvents(api, vault);

            List<JsonNode> events = EventContracts.events(broker);
            Set<String> types = new TreeSet<>();
            for (JsonNode e : events) {
                assertEquals(List.of(), EventContracts.violations(e), e.toString());
                types.add(e.path("type").asText());
            }
            assertEquals(new TreeSet<>(TYPES), types);

            // strict: an unknown detail (where a secret could hide) or a wrong shape is refused
            JsonNode enrolled = events.stream().filter(e -> e.path("type").asText().equals("agent.enrolled")).findFirst().orElseThrow();
            ObjectNode leaky = enrolled.deepCopy();
            ((ObjectNode) leaky.path("details")).put("agent_secret", "ibas_x");
            assertFalse(EventContracts.violations(leaky).isEmpty());
            ObjectNode badSerial = enrolled.deepCopy();
            ((ObjectNode) badSerial.path("details")).put("serial_number", "not a serial");
            assertFalse(EventContracts.violations(badSerial).isEmpty());
            ObjectNode extra = enrolled.deepCopy();
            extra.put("token", "ibet_x");
            assertFalse(EventContracts.violations(extra).isEmpty());
            ObjectNode unknown = enrolled.deepCopy();
            unknown.put("type", "agent.teleported");
            assertFalse(EventContracts.violations(unknown).isEmpty());
        }
    }
}
