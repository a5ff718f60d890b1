package io.identitybroker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input hygiene on every route that takes a body: JSON fields accept only their documented JSON
 * type (no coercion), bodies of another media type or charset get 415 in the route's own error
 * format, and collections and nullable fields are always present.
 */
class InputHygieneTest extends BrokerTest {
    private EnrolledAgent agent;

    private EnrolledAgent agent() {
        if (agent == null) {
            agent = EnrolledAgent.enroll(fixtures, "acme");
        }
        return agent;
    }

    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    /** Route, body, and the field the answer must name ("" when it names none). */
    static Stream<Arguments> wronglyTypedBodies() {
        return Stream.of(
                Arguments.of("POST /api/v1/tenants", "{\"id\": [\"x1\"], \"trust_domain\": \"example.org\"}", "id"),
                Arguments.of("POST /api/v1/tenants", "{\"id\": \"x1\", \"trust_domain\": 5}", "trust_domain"),
                Arguments.of("POST /api/v1/tenants", "{\"id\": \"x1\", \"trust_domain\": \"example.org\", \"allow_dns_san\": \"true\"}", "allow_dns_san"),
                Arguments.of("POST /api/v1/tenants", "{\"id\": \"x1\", \"trust_domain\": \"example.org\", \"allow_dns_san\": 1}", "allow_dns_san"),
                Arguments.of("POST /api/v1/tenants", "{\"id\": \"x1\", \"trust_domain\": \"example.org\", \"display_name\": [\"X\"]}", "display_name"),
                Arguments.of("POST /api/v1/tenants", "{\"id\": \"x1\", \"trust_domain\": \"example.org\", \"colour\": \"red\"}", "colour"),
                Arguments.of("PATCH /api/v1/tenants/acme", "{\"status\": [\"suspended\"]}", "status"),
                Arguments.of("PATCH /api/v1/tenants/acme", "{\"allow_dns_san\": \"false\"}", "allow_dns_san"),
                Arguments.of("PATCH /api/v1/tenants/acme", "{\"display_name\": 7}", "display_name"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"ttl_seconds\": \"600\"}", "ttl_seconds"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"ttl_seconds\": [600]}", "ttl_seconds"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"ttl_seconds\": 600.5}", "ttl_seconds"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"max_uses\": true}", "max_uses"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"agent_name\": 5}", "agent_name"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"labels\": {\"team\": 1}}", "labels.team"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"labels\": [\"team\"]}", "labels"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"scopes\": \"orders.read\"}", "scopes"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"scopes\": [1]}", "scopes[0]"),
                Arguments.of("POST /api/v1/tenants/acme/enrollment-tokens", "{\"<b>\": 1}", ""),
                Arguments.of("POST /api/v1/agent-enrollment/exchange", "{\"token\": [\"ibet_x\"], \"csr\": \"x\"}", "token"),
                Arguments.of("POST /api/v1/agent-enrollment/exchange", "{\"token\": \"ibet_x\", \"csr\": 42}", "csr"),
                Arguments.of("POST /api/v1/agent-enrollment/exchange", "{\"token\": \"ibet_x\", \"csr\": \"x\", \"extra\": 1}", "extra"),
                Arguments.of("POST agent /certificate/rotate", "{\"csr\": [\"x\"]}", "csr"),
                Arguments.of("POST agent /certificate/rotate", "{\"csr\": true}", "csr"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wronglyTypedBodies")
    void aFieldAcceptsOnlyItsDocumentedJsonTypeAndTheAnswerNamesTheField(String route, String body, String field) {
        agent(); // enrolled before counting
        long tenants = broker.count("SELECT count(*) FROM tenants");
        long tokens = broker.count("SELECT count(*) FROM enrollment_tokens");
        String acmeBefore = broker.query("SELECT status, display_name, allow_dns_san FROM tenants WHERE id = 'acme'").toString();

        BrokerApi.Response r = send(route, body, "application/json");

        assertEquals(400, r.status(), r.raw());
        assertEquals("malformed_json", r.problemType(), r.raw());
        String detail = r.body().path("detail").asText();
        if (field.isEmpty()) {
            assertFalse(detail.contains("<"), "client text of an unsafe shape is not echoed: " + detail);
        } else {
            assertTrue(detail.contains("'" + field + "'"), "names the field " + field + ": " + detail);
        }
        assertEquals(tenants, broker.count("SELECT count(*) FROM tenants"));
        assertEquals(tokens, broker.count("SELECT count(*) FROM enrollment_tokens"));
        assertEquals(acmeBefore, broker.query("SELECT status, display_name, allow_dns_san FROM tenants WHERE id = 'acme'").toString());
    }

    /** Every route that takes a body, with the media type it wants. */
    static Stream<String> bodyRoutes() {
        return Stream.of("POST /api/v1/tenants", "PATCH /api/v1/tenants/acme", "POST /api/v1/tenants/acme/enrollment-tokens",
                "POST /api/v1/agent-enrollment/exchange", "POST agent /certificate/rotate", "POST /oauth2/token",
                "POST /oauth2/introspect");
    }

    static Stream<Arguments> unsupportedBodies() {
        List<String> jsonRefusals = List.of("text/plain", "application/xml", "application/json; charset=utf-16",
                "application/json; charset=evil-set", "application/json; charset=\"evil<script>\"", "application/json; charset=",
                "application/json;;", "application/x-www-form-urlencoded", "application/jsonevil");
        List<String> formRefusals = List.of("application/json", "text/plain", "application/x-www-form-urlencoded; charset=iso-8859-1",
                "application/x-www-form-urlencoded; charset=evil-set", "application/x-www-form-urlencoded; charset=\"evil<x>\"",
                "application/x-www-form-urlencoded; evil", "multipart/form-data; boundary=evil");
        return bodyRoutes().flatMap(route -> (route.contains("/oauth2/") ? formRefusals : jsonRefusals).stream()
                .map(type -> Arguments.of(route, type)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("unsupportedBodies")
    void aBodyOfAnotherMediaTypeOrCharsetIs415InTheRoutesOwnFormatWithAtMostOneQuietLogLine(String route, String contentType) {
        agent(); // enrolled before counting
        long events = broker.count("SELECT count(*) FROM audit_events");
        boolean oauth = route.contains("/oauth2/");
        String body = oauth ? "grant_type=client_credentials&token=x" : "{\"id\": \"evil1\", \"trust_domain\": \"example.org\"}";
        BrokerApi.Response r;
        String logs;
        try (LogCapture capture = new LogCapture()) {
            r = send(route, body, contentType);
            logs = capture.text();
        }

        assertEquals(415, r.status(), r.raw());
        assertTrue(r.header("X-Correlation-Id") != null && !r.header("X-Correlation-Id").isEmpty());
        if (oauth) {
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals("invalid_request", r.body().path("error").asText(), r.raw());
            assertTrue(r.body().path("error_description").asText().contains("application/x-www-form-urlencoded"), r.raw());
            assertEquals("no-store", r.header("Cache-Control"));
        } else {
            assertEquals("application/problem+json", r.header("Content-Type"));
            assertEquals("unsupported_media_type", r.problemType(), r.raw());
            assertTrue(r.body().path("detail").asText().contains("application/json"), r.raw());
        }
        assertFalse(r.raw().contains("evil"), "no client text in the answer: " + r.raw());
        List<String> lines = logs.isEmpty() ? List.of() : List.of(logs.split("\n"));
        List<String> about = lines.stream().filter(l -> l.contains(r.header("X-Correlation-Id")) || l.contains("evil")
                || l.contains("Exception") || l.contains("\tat ")).toList();
        assertTrue(about.size() <= 1, "at most one log line: " + about);
        assertFalse(logs.contains("evil"), "no client text in the logs: " + about);
        assertFalse(logs.contains("Exception"), "no stack trace: " + about);
        assertEquals(events, broker.count("SELECT count(*) FROM audit_events"), "nothing written");
    }

    @Test
    void collectionsAreArraysEvenWhenEmptyAndNullableFieldsArePresentAsNull() {
        // globex has no tokens and no agents; the auditor may read no tenant at all.
        BrokerApi.Response tokens = api.get("/api/v1/tenants/globex/enrollment-tokens", vault.adminToken("globex"));
        assertEquals(200, tokens.status(), tokens.raw());
        assertTrue(tokens.body().path("enrollment_tokens").isArray() && tokens.body().path("enrollment_tokens").isEmpty(), tokens.raw());
        BrokerApi.Response agents = api.get("/api/v1/tenants/globex/agents", vault.adminToken("globex"));
        assertTrue(agents.body().path("agents").isArray() && agents.body().path("agents").isEmpty(), agents.raw());
        BrokerApi.Response noTenants = api.get("/api/v1/tenants", vault.env("IB_AUDITOR_TOKEN"));
        assertEquals(200, noTenants.status(), noTenants.raw());
        assertTrue(noTenants.body().path("tenants").isArray() && noTenants.body().path("tenants").isEmpty(), noTenants.raw());
        BrokerApi.Response events = api.get("/api/v1/tenants/globex/audit-events?type=no.such.type", vault.platformAdminToken());
        assertTrue(events.body().path("events").isArray() && events.body().path("events").isEmpty(), events.raw());
        assertTrue(events.body().has("next_after_seq") && events.body().path("next_after_seq").isNull(), events.raw());
        BrokerApi.Response verify = api.get("/api/v1/tenants/globex/audit-events/verify", vault.platformAdminToken());
        assertPresentNull(verify.body(), "broken_at_seq", "broken_event_id");

        // A token with no labels, scopes or agent name: empty object, empty array, null.
        BrokerApi.Response issued = api.post("/api/v1/tenants/globex/enrollment-tokens", Map.of("max_uses", 1), vault.adminToken("globex"));
        assertEquals(201, issued.status(), issued.raw());
        JsonNode listed = api.get("/api/v1/tenants/globex/enrollment-tokens", vault.adminToken("globex")).body().path("enrollment_tokens").get(0);
        assertTrue(listed.path("labels").isObject() && listed.path("labels").isEmpty(), listed.toString());
        assertTrue(listed.path("scopes").isArray() && listed.path("scopes").isEmpty(), listed.toString());
        assertPresentNull(listed, "agent_name");
        assertFalse(listed.has("token"), "the secret is shown only when issued");

        JsonNode tenant = api.get("/api/v1/tenants/globex", vault.platformAdminToken()).body();
        for (String field : List.of("id", "display_name", "trust_domain", "pki_mount", "pki_role", "status", "allow_dns_san",
                "crl_url", "ocsp_url", "created_at", "updated_at")) {
            assertTrue(tenant.has(field), field + " in " + tenant);
        }
        // An enrolled agent without a name, labels or scopes; its binding without a grace end.
        String secret = api.post("/api/v1/tenants/globex/enrollment-tokens", Map.of("max_uses", 1), vault.adminToken("globex"))
                .body().path("token").asText();
        assertEquals(200, fixtures.exchange(secret, Csrs.p256().pem()).status());
        JsonNode view = api.get("/api/v1/tenants/globex/agents", vault.adminToken("globex")).body().path("agents").get(0);
        assertPresentNull(view, "name", "revoked_at");
        assertTrue(view.path("labels").isObject() && view.path("labels").isEmpty(), view.toString());
        assertTrue(view.path("scopes").isArray() && view.path("scopes").isEmpty(), view.toString());
        assertPresentNull(view.path("certificates").get(0), "grace_until");
    }

    private static void assertPresentNull(JsonNode node, String... fields) {
        for (String f : fields) {
            assertTrue(node.has(f) && node.get(f).isNull(), f + " present as null in " + node);
        }
    }

    /** Sends {@code body} to a route of the table, authenticated as that route requires. */
    private BrokerApi.Response send(String route, String body, String contentType) {
        String[] parts = route.split(" ");
        String method = parts[0];
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        if (route.startsWith("POST agent")) {
            EnrolledAgent a = agent();
            headers.putAll(a.basic());
            return a.mtls(broker, vault).send(method, a.path() + parts[2], body, null, headers);
        }
        if (route.equals("POST /oauth2/token")) {
            EnrolledAgent a = agent();
            return a.mtls(broker, vault).send(method, parts[1], body + "&client_id=" + a.agentId(), null, headers);
        }
        String token = route.contains("/api/v1/tenants/acme/") ? vault.adminToken("acme")
                : route.contains("exchange") ? null : vault.platformAdminToken();
        return api.send(method, parts[1], body, token, headers);
    }
}
