package io.identitybroker.security;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vault's policies decide, through real tokens with real (templated) policies. */
class AdminAuthorizationTest extends BrokerTest {
    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    @BeforeAll
    void setUp() {
        assertEquals(200, fixtures.exchange(fixtures.tokenSecret("globex"), Csrs.p256().pem()).status());
    }

    @Test
    void noTokenIs401AndAnInvalidTokenIs401() {
        BrokerApi.Response none = api.get("/api/v1/tenants", null);
        assertEquals(401, none.status());
        assertEquals("unauthorized", none.problemType());
        assertEquals(401, api.get("/api/v1/tenants/acme", "hvs.bogus").status());
    }

    @Test
    void aTokenWithoutTheCapabilityIs403ForTenantCreation() {
        BrokerApi.Response r = api.post("/api/v1/tenants", Map.of("id", "initech", "trust_domain", "example.org"),
                vault.env("IB_NOPOLICY_TOKEN"));
        assertEquals(403, r.status(), r.raw());
        assertEquals("forbidden", r.problemType());
        assertEquals(0, broker.count("SELECT count(*) FROM tenants WHERE id = 'initech'"));
    }

    @Test
    void acmeAdminSeesAnotherTenantsTokensAgentsAndAuditAs404LikeAMissingTenant() {
        String acme = vault.adminToken("acme");
        for (String path : List.of("/api/v1/tenants/globex", "/api/v1/tenants/globex/enrollment-tokens",
                "/api/v1/tenants/globex/agents", "/api/v1/tenants/globex/audit-events",
                "/api/v1/tenants/nonexistent/agents")) {
            BrokerApi.Response r = api.get(path, acme);
            assertEquals(404, r.status(), path + " " + r.raw());
            assertEquals("tenant_not_found", r.problemType(), path);
        }
        BrokerApi.Response issue = api.post("/api/v1/tenants/globex/enrollment-tokens", Map.of("max_uses", 1), acme);
        assertEquals(404, issue.status());
        assertEquals(0, broker.count("SELECT count(*) FROM enrollment_tokens WHERE tenant_id = 'globex' AND created_by LIKE '%acme%'"));
    }

    @Test
    void acmeAdminCanReadButNotSuspendItsTenantAndListsOnlyIt() {
        String acme = vault.adminToken("acme");
        assertEquals(200, api.get("/api/v1/tenants/acme", acme).status());
        BrokerApi.Response suspend = api.send("PATCH", "/api/v1/tenants/acme", Map.of("status", "suspended"), acme, Map.of());
        assertEquals(403, suspend.status(), suspend.raw());
        BrokerApi.Response list = api.get("/api/v1/tenants", acme);
        assertEquals(1, list.body().path("tenants").size());
        assertEquals("acme", list.body().path("tenants").get(0).path("id").asText());
        assertEquals(2, api.get("/api/v1/tenants", vault.platformAdminToken()).body().path("tenants").size());
    }

    @Test
    void auditorReadsAuditEventsAndNothingElse() {
        String auditor = vault.env("IB_AUDITOR_TOKEN");
        assertEquals(200, api.get("/api/v1/tenants/globex/audit-events", auditor).status());
        assertEquals(404, api.get("/api/v1/tenants/globex", auditor).status());
        assertEquals(404, api.get("/api/v1/tenants/globex/agents", auditor).status());
        assertEquals(403, api.post("/api/v1/tenants", Map.of("id", "x", "trust_domain", "example.org"), auditor).status());
    }

    @Test
    void creatingATenantWhosePkiRoleDoesNotExistIs422AndWritesNothing() {
        BrokerApi.Response r = api.post("/api/v1/tenants", Map.of("id", "initech", "trust_domain", "example.org"),
                vault.platformAdminToken());
        assertEquals(422, r.status(), r.raw());
        assertEquals("pki_role_not_found", r.problemType());
        BrokerApi.Response badRole = api.post("/api/v1/tenants", Map.of("id", "initech", "trust_domain", "example.org",
                "pki_mount", "pki-tenants/acme", "pki_role", "nope"), vault.platformAdminToken());
        assertEquals(422, badRole.status());
        assertEquals(0, broker.count("SELECT count(*) FROM tenants WHERE id = 'initech'"));
        BrokerApi.Response badId = api.post("/api/v1/tenants", Map.of("id", "Bad_Id", "trust_domain", "example.org"),
                vault.platformAdminToken());
        assertEquals(400, badId.status());
        assertEquals("invalid_tenant", badId.problemType());
    }

    @Test
    void acmeAdminIssuesAndRevokesTokensAndReadsAgentsOfItsTenant() {
        String acme = vault.adminToken("acme");
        BrokerApi.Response issued = api.post("/api/v1/tenants/acme/enrollment-tokens",
                Map.of("max_uses", 2, "ttl_seconds", 60, "labels", Map.of("team", "payments"), "scopes", List.of("a", "b")), acme);
        assertEquals(201, issued.status(), issued.raw());
        assertEquals(2, issued.body().path("max_uses").asInt());
        BrokerApi.Response revoked = api.send("DELETE", "/api/v1/tenants/acme/enrollment-tokens/" + issued.body().path("id").asText(),
                null, acme, Map.of());
        assertEquals(204, revoked.status());
        assertEquals(200, api.get("/api/v1/tenants/acme/agents", acme).status());
        BrokerApi.Response globexAgents = api.get("/api/v1/tenants/globex/agents", vault.platformAdminToken());
        assertEquals(1, globexAgents.body().path("agents").size());
        String agentId = globexAgents.body().path("agents").get(0).path("agent_id").asText();
        assertEquals(404, api.get("/api/v1/tenants/acme/agents/" + agentId, acme).status(), "another tenant's agent");
        assertTrue(globexAgents.body().path("agents").get(0).path("certificates").get(0).has("x5t#S256"));
    }
}
