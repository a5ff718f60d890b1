package io.identitybroker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.api.PageTokens;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent inventory's filters and keyset pages, and the fleet-wide report of expiring
 * certificates, as an admin sees them: only tenants the caller may read, pages that neither repeat
 * nor skip, and a 400 with its own problem type for every malformed parameter.
 */
class AgentInventoryTest extends BrokerTest {
    private final List<String> acme = new ArrayList<>(); // agent ids, in enrollment order
    private String globexAgent;

    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    @BeforeAll
    void enroll() {
        // five acme agents: team=payments on 0, 1, 2; region=eu also on 1; 3 revoked; 4 renewal overdue, expiring soon
        for (int i = 0; i < 5; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("team", i < 3 ? "payments" : "search");
            if (i == 1) {
                labels.put("region", "eu");
            }
            acme.add(enroll("acme", labels));
        }
        globexAgent = enroll("globex", Map.of("team", "payments"));
        assertEquals(200, api.post("/api/v1/tenants/acme/agents/" + acme.get(3) + "/revoke", null,
                vault.adminToken("acme")).status());
        // agent 4's current certificate: 30 of its 31 minutes gone (past 2/3 of its life), the soonest to expire
        Instant now = Instant.now();
        assertEquals(1, broker.update("UPDATE certificate_bindings SET not_before = ?, not_after = ? WHERE agent_id = ? AND status = 'CURRENT'",
                Timestamp.from(now.minus(Duration.ofMinutes(30))), Timestamp.from(now.plus(Duration.ofMinutes(1))), acme.get(4)));
        // agent 0's: valid from now on for 400 days
        assertEquals(1, broker.update("UPDATE certificate_bindings SET not_before = ?, not_after = ? WHERE agent_id = ? AND status = 'CURRENT'",
                Timestamp.from(now), Timestamp.from(now.plus(Duration.ofDays(400))), acme.get(0)));
    }

    private String enroll(String tenant, Map<String, String> labels) {
        BrokerApi.Response token = api.post("/api/v1/tenants/" + tenant + "/enrollment-tokens",
                Map.of("labels", labels, "max_uses", 1), vault.adminToken(tenant));
        assertEquals(201, token.status(), token.raw());
        BrokerApi.Response r = fixtures.exchange(token.body().path("token").asText(), Csrs.p256().pem());
        assertEquals(200, r.status(), r.raw());
        return r.body().path("agent_id").asText();
    }

    private List<String> ids(String query) {
        BrokerApi.Response r = api.get("/api/v1/tenants/acme/agents" + query, vault.adminToken("acme"));
        assertEquals(200, r.status(), r.raw());
        List<String> ids = new ArrayList<>();
        r.body().path("agents").forEach(a -> ids.add(a.path("agent_id").asText()));
        return ids;
    }

    private List<String> acme(int... indexes) {
        List<String> out = new ArrayList<>();
        for (int i = indexes.length - 1; i >= 0; i--) { // newest first
            out.add(acme.get(indexes[i]));
        }
        return out;
    }

    @Test
    void filtersCombineWithAndAndListNewestFirst() {
        String later = URLEncoder.encode(Instant.now().plus(Duration.ofDays(100)).toString(), StandardCharsets.UTF_8);
        assertEquals(acme(0, 1, 2, 3, 4), ids(""));
        assertEquals(acme(0, 1, 2, 4), ids("?status=active"));
        assertEquals(acme(3), ids("?status=revoked"));
        assertEquals(acme(0, 1, 2), ids("?label=team%3Dpayments"));
        assertEquals(acme(1), ids("?label=team%3Dpayments&label=region%3Deu"));
        assertEquals(List.of(), ids("?label=team%3Dpay"), "a prefix of a value matches nothing");
        assertEquals(List.of(), ids("?label=eam%3Dpayments"), "a suffix of a key matches nothing");
        assertEquals(acme(4), ids("?renewal_overdue=true"));
        assertEquals(acme(1, 2, 4), ids("?expiring_before=" + later), "a revoked agent has no current certificate");
        assertEquals(acme(4), ids("?expiring_before=" + later + "&label=team%3Dsearch&status=active"));
    }

    @Test
    void pagesFollowTheirTokensWithoutRepeatsOrGapsAndTheListReadsItsBindingsInOneQuery() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            BrokerApi.Response r = api.get("/api/v1/tenants/acme/agents?page_size=2" + (token == null ? "" : "&page_token=" + token),
                    vault.adminToken("acme"));
            assertEquals(200, r.status(), r.raw());
            r.body().path("agents").forEach(a -> {
                seen.add(a.path("agent_id").asText());
                assertTrue(a.path("certificates").size() >= 1, "each agent carries its bindings: " + a);
            });
            token = r.body().path("next_page_token").isNull() ? null : r.body().path("next_page_token").asText();
            pages++;
        } while (token != null);
        assertEquals(acme(0, 1, 2, 3, 4), seen);
        assertEquals(3, pages);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "page_token=!!, invalid_page_token",
            "page_token=bm90LWEtdXVpZA, invalid_page_token", // base64url of "not-a-uuid"
            "page_token=AAAA=, invalid_page_token",
            "page_size=0, invalid_paging",
            "page_size=1001, invalid_paging",
            "page_size=ten, invalid_paging",
            "status=deleted, invalid_agent_query",
            "renewal_overdue=yes, invalid_agent_query",
            "expiring_before=tomorrow, invalid_agent_query",
            "label=team, invalid_agent_query",
            "label=Team%3Dx, invalid_agent_query",
            "status=active&status=revoked, invalid_agent_query",
    })
    void malformedParametersAreRefusedWithTheirOwnProblemType(String query, String type) {
        BrokerApi.Response r = api.get("/api/v1/tenants/acme/agents?" + query, vault.adminToken("acme"));
        assertEquals(400, r.status(), r.raw());
        assertEquals(type, r.problemType());
    }

    @Test
    void theFleetReportListsOnlyReadableTenantsCertificatesSoonestFirstInPages() {
        String before = URLEncoder.encode(Instant.now().plus(Duration.ofDays(100)).toString(), StandardCharsets.UTF_8);
        List<JsonNode> all = fleet("?before=" + before + "&page_size=2", vault.platformAdminToken());
        List<String> agents = all.stream().map(c -> c.path("agent_id").asText()).toList();
        assertEquals(acme.get(4), agents.get(0), "the soonest expiry first: " + agents);
        assertTrue(agents.containsAll(List.of(acme.get(1), acme.get(2), globexAgent)), agents.toString());
        assertEquals(4, agents.size(), "revoked agents and certificates expiring later are left out: " + agents);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).path("not_after").asText().compareTo(all.get(i).path("not_after").asText()) <= 0);
        }
        assertEquals("globex", all.stream().filter(c -> c.path("agent_id").asText().equals(globexAgent))
                .findFirst().orElseThrow().path("tenant").asText());

        List<String> acmeOnly = fleet("?before=" + before, vault.adminToken("acme")).stream()
                .map(c -> c.path("tenant").asText()).distinct().toList();
        assertEquals(List.of("acme"), acmeOnly, "a tenant admin sees only its tenant");
    }

    @Test
    void theFleetReportRefusesAMissingOrMalformedBoundAndAnonymousCallers() {
        for (String q : List.of("", "?before=soon")) {
            BrokerApi.Response r = api.get("/api/v1/certificates/expiring" + q, vault.platformAdminToken());
            assertEquals(400, r.status(), r.raw());
            assertEquals("invalid_certificate_query", r.problemType());
        }
        BrokerApi.Response token = api.get("/api/v1/certificates/expiring?before=2030-01-01T00:00:00Z&page_token="
                + PageTokens.encode(acme.get(0)), vault.platformAdminToken());
        assertEquals("invalid_page_token", token.problemType(), "an agent page's token is not a report position");
        assertEquals(401, api.get("/api/v1/certificates/expiring?before=2030-01-01T00:00:00Z", null).status());
    }

    private List<JsonNode> fleet(String query, String token) {
        List<JsonNode> out = new ArrayList<>();
        String page = null;
        do {
            BrokerApi.Response r = api.get("/api/v1/certificates/expiring" + query + (page == null ? "" : "&page_token=" + page), token);
            assertEquals(200, r.status(), r.raw());
            r.body().path("certificates").forEach(out::add);
            page = r.body().path("next_page_token").isNull() ? null : r.body().path("next_page_token").asText();
        } while (page != null);
        return out;
    }
}
