package io.identitybroker.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin steps most tests start from, done through the public API. */
public final class Fixtures {
    private final BrokerApi api;
    private final TestVault vault;

    public Fixtures(BrokerApi api, TestVault vault) {
        this.api = api;
        this.vault = vault;
    }

    /** Creates a tenant whose Vault mount {@code pki-tenants/<id>} the dev configuration made. */
    public JsonNode tenant(String id) {
        BrokerApi.Response r = api.post("/api/v1/tenants", Map.of("id", id, "display_name", id.toUpperCase(),
                "trust_domain", vault.trustDomain()), vault.platformAdminToken());
        if (r.status() != 201) {
            throw new AssertionError("tenant creation failed: " + r.status() + " " + r.raw());
        }
        return r.body();
    }

    /** Issues a token as the tenant's own admin; returns the response (with the secret in {@code token}). */
    public JsonNode token(String tenant, int maxUses, long ttlSeconds) {
        return token(tenant, maxUses, ttlSeconds, List.of("orders.read"));
    }

    /** The same, with the OAuth2 scopes the enrolled agent may request. */
    public JsonNode token(String tenant, int maxUses, long ttlSeconds, List<String> scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("max_uses", maxUses);
        body.put("ttl_seconds", ttlSeconds);
        body.put("agent_name", "worker");
        body.put("labels", Map.of("env", "test"));
        body.put("scopes", scopes);
        BrokerApi.Response r = api.post("/api/v1/tenants/" + tenant + "/enrollment-tokens", body, vault.adminToken(tenant));
        if (r.status() != 201) {
            throw new AssertionError("token issue failed: " + r.status() + " " + r.raw());
        }
        return r.body();
    }

    public String tokenSecret(String tenant) {
        return token(tenant, 1, 600).path("token").asText();
    }

    public BrokerApi.Response exchange(String token, String csrPem) {
        return api.post("/api/v1/agent-enrollment/exchange", Map.of("token", token, "csr", csrPem), null);
    }
}
