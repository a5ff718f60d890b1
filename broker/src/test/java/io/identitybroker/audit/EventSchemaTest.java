package io.identitybroker.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
            "oauth.client_authentication.failed", "agent.jwt_svid.issued");

    @Test
    void everyTypeHasASchemaAndTheAsyncApiDocumentNamesIt() throws Exception {
        assertEquals(new TreeSet<>(TYPES), EventContracts.types());
        String asyncapi = Files.readString(EventContracts.directory().resolve("asyncapi.yaml"));
        for (String type : TYPES) {
            assertTrue(asyncapi.contains("name: " + type + "\n"), type);
            assertTrue(asyncapi.contains("$ref: './" + type + ".schema.json'"), type);
        }
    }

    @Test
    void eventsOfEveryTypeConformAndTheSchemasAreStrict(TestVault vault) {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.rotation.grace", "0s"))) {
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
