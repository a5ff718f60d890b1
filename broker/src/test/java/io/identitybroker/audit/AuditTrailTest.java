package io.identitybroker.audit;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditTrailTest extends BrokerTest {
    @Test
    void noSecretTokenOrKeyAppearsInLogsOrAuditEvents() {
        List<String> secrets = new ArrayList<>(List.of(vault.adminToken("acme"), vault.platformAdminToken(),
                vault.env("VAULT_TOKEN")));
        String auditText;
        String logText;
        try (LogCapture logs = new LogCapture()) {
            String token = fixtures.tokenSecret("acme");
            secrets.add(token);
            BrokerApi.Response ok = fixtures.exchange(token, Csrs.p256().pem());
            assertEquals(200, ok.status());
            secrets.add(ok.body().path("agent_secret").asText());
            secrets.add(fixtures.exchange(token, Csrs.p256().pem()).status() == 401 ? token : "unexpected");
            String unknown = "ibet_" + "Z".repeat(43);
            secrets.add(unknown);
            fixtures.exchange(unknown, Csrs.p256().pem());
            api.post("/api/v1/agent-enrollment/exchange", "{\"token\":\"" + fixtures.tokenSecret("acme") + "\",", null);
            api.get("/api/v1/tenants/acme", "hvs.not-a-real-token-but-secret");
            secrets.add("hvs.not-a-real-token-but-secret");
            logText = logs.text();
        }
        auditText = broker.query("SELECT * FROM audit_events").toString();
        assertTrue(auditText.contains("agent.enrolled"));
        for (String secret : secrets) {
            assertFalse(logText.contains(secret), "a secret leaked into the logs");
            assertFalse(auditText.contains(secret), "a secret leaked into the audit table");
        }
        String secretId = readFile(vault.env("BROKER_VAULT_APPROLE_SECRET_ID_FILE"));
        assertFalse(logText.contains(secretId) || auditText.contains(secretId), "the AppRole secret id leaked");
    }

    @Test
    void theChainVerifiesAndAlteringOneStoredEventBreaksItAtThatEvent() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem()).status());
        }
        String admin = vault.adminToken("acme");
        BrokerApi.Response ok = api.get("/api/v1/tenants/acme/audit-events/verify", admin);
        assertEquals(200, ok.status(), ok.raw());
        assertTrue(ok.body().path("valid").asBoolean());
        long checked = ok.body().path("events_checked").asLong();
        assertTrue(checked >= 7, "tenant.created + 3 x (token issued + enrolled)");

        BrokerApi.Response page = api.get("/api/v1/tenants/acme/audit-events?type=agent.enrolled&limit=2", admin);
        assertEquals(200, page.status());
        assertEquals(2, page.body().path("events").size());
        long victimSeq = page.body().path("events").get(1).path("seq").asLong();
        assertEquals(1, broker.update("UPDATE audit_events SET actor = 'someone-else' WHERE chain = 'acme' AND seq = ?", victimSeq));

        BrokerApi.Response broken = api.get("/api/v1/tenants/acme/audit-events/verify", admin);
        assertFalse(broken.body().path("valid").asBoolean());
        assertEquals(victimSeq, broken.body().path("broken_at_seq").asLong());
    }

    @Test
    void logLinesWrittenOnTheRequestThreadPoolCarryTheRequestsCorrelationId() {
        try (LogCapture logs = new LogCapture()) {
            api.send("POST", "/api/v1/tenants/acme/enrollment-tokens/no-such-route", Map.of(), vault.adminToken("acme"),
                    Map.of("X-Correlation-Id", "trace-log-000001"));
            String routeLine = logs.text().lines().filter(l -> l.contains("No matching route: POST /api/v1/tenants/acme/"
                    + "enrollment-tokens/no-such-route")).findFirst().orElseThrow(() -> new AssertionError(logs.text()));
            assertTrue(routeLine.startsWith("[io-executor-thread"), routeLine);
            assertTrue(routeLine.contains("correlation_id=trace-log-000001"), routeLine);
        }
    }

    @Test
    void eventsArePagedInOrderWithTheirCorrelationIds() {
        BrokerApi.Response issued = api.send("POST", "/api/v1/tenants/acme/enrollment-tokens", Map.of("max_uses", 1),
                vault.adminToken("acme"), Map.of("X-Correlation-Id", "trace-abc-12345"));
        assertEquals(201, issued.status());
        assertEquals("trace-abc-12345", issued.header("X-Correlation-Id"));
        BrokerApi.Response events = api.get("/api/v1/tenants/acme/audit-events?type=agent.enrollment_token.issued&limit=1000",
                vault.adminToken("acme"));
        var last = events.body().path("events").get(events.body().path("events").size() - 1);
        assertEquals("trace-abc-12345", last.path("correlation_id").asText());
        assertEquals(issued.body().path("id").asText(), last.path("subject").asText());
        assertTrue(last.path("actor").asText().startsWith("vault:"));
        long prev = 0;
        for (var e : events.body().path("events")) {
            assertTrue(e.path("seq").asLong() > prev);
            prev = e.path("seq").asLong();
        }
    }

    private static String readFile(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path)).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
