package io.identitybroker.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.TestVault;
import io.identitybroker.vault.VaultProbe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scripted lifecycle against a real broker and Vault, then a scrape of {@code /prometheus} with a
 * token that may read {@code identity-broker/metrics}: every counter holds exactly what the script
 * caused, and the inventory gauges, after a forced refresh, what the database and Vault hold.
 */
class MetricsLifecycleTest extends BrokerTest {

    @Test
    void aScriptedLifecycleShowsExactlyItsCountsAndTheInventoryOnPrometheus() {
        EnrolledAgent alice = EnrolledAgent.enroll(fixtures, "acme");
        EnrolledAgent bob = EnrolledAgent.enroll(fixtures, "acme");
        String token = fixtures.token("acme", 1, 600).path("token").asText();
        assertEquals(400, fixtures.exchange(token, Csrs.badSignature()).status());

        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response rotation = alice.mtls(broker, vault).send("POST", alice.path() + "/certificate/rotate",
                Map.of("csr", csr.pem()), null, alice.basic());
        assertEquals(200, rotation.status(), rotation.raw());
        EnrolledAgent rotated = alice.rotated(csr.keys(), rotation.body());
        BrokerApi client = rotated.mtls(broker, vault);
        assertEquals(200, client.send("POST", alice.path() + "/jwt-svids", Map.of("audience", List.of("orders")),
                null, rotated.basic()).status());
        assertEquals(401, client.send("POST", alice.path() + "/jwt-svids", Map.of("audience", List.of("orders")),
                null, EnrolledAgent.basic(alice.agentId(), "wrong-secret")).status());
        BrokerApi.Response issued = client.postForm("/oauth2/token",
                "grant_type=client_credentials&client_id=" + alice.agentId(), null);
        assertEquals(200, issued.status(), issued.raw());
        assertTrue(introspect(issued.body().path("access_token").asText()).path("active").asBoolean());
        assertFalse(introspect("not-a-token").path("active").asBoolean());
        assertEquals(200, api.post("/api/v1/tenants/acme/agents/" + alice.agentId() + "/revoke", null,
                vault.adminToken("acme")).status());

        PrometheusScrape s = scrape();
        assertEquals(2.0, s.value("broker_enrollments_total", "tenant", "acme", "outcome", "success", "reason", "none"));
        assertEquals(1.0, s.value("broker_enrollments_total", "tenant", "acme", "outcome", "failure", "reason",
                "csr_bad_signature"));
        assertEquals(1.0, s.value("broker_certificate_rotations_total", "tenant", "acme", "outcome", "success", "reason", "none"));
        assertEquals(1.0, s.value("broker_agent_revocations_total", "tenant", "acme", "outcome", "success", "reason", "none"));
        assertEquals(1.0, s.value("broker_spiffe_jwt_svids_issued_total", "tenant", "acme"));
        assertEquals(1.0, s.value("broker_oauth_tokens_issued_total", "tenant", "acme"));
        assertEquals(1.0, s.value("broker_oauth_introspections_total", "result", "active"));
        assertEquals(1.0, s.value("broker_oauth_introspections_total", "result", "invalid"));
        assertEquals(1.0, s.value("broker_mtls_authentication_failures_total", "tenant", "acme", "reason",
                "invalid_agent_credentials"));
        // two enrollments and one rotation were signed; the refused CSR never reached Vault
        assertEquals(3.0, s.value("broker_vault_calls_seconds_count", "operation", "certificate_signing", "outcome", "success"));
        assertEquals(1.0, s.value("broker_oauth_transit_sign_batch_size_count"));
        // every committed audit event of the chain is counted once, by type and outcome
        for (Map<String, Object> row : broker.query("SELECT type, outcome, COUNT(*) AS n FROM audit_events"
                + " WHERE chain = 'acme' GROUP BY type, outcome")) {
            assertEquals(((Number) row.get("n")).doubleValue(), s.value("broker_audit_appends_total", "tenant", "acme",
                    "type", (String) row.get("type"), "outcome", (String) row.get("outcome")), row.toString());
        }

        // Bob's certificate made old: past two thirds of its lifetime, nobody rotated it.
        broker.update("UPDATE certificate_bindings SET not_before = ? WHERE x5t_s256 = ?",
                Timestamp.from(Instant.now().minus(Duration.ofHours(100))), bob.x5t());
        broker.context().getBean(InventoryGauges.class).refresh();
        Instant refreshed = Instant.now();
        s = scrape();
        assertEquals(1.0, s.value("broker_agents", "tenant", "acme", "status", "active"));
        assertEquals(1.0, s.value("broker_agents", "tenant", "acme", "status", "revoked"));
        // the role issues 24 h certificates: Bob's is the only current one of an active agent
        assertEquals(1.0, s.value("broker_certificates_expiring", "tenant", "acme", "within", "24h"));
        assertEquals(1.0, s.value("broker_certificates_expiring", "tenant", "acme", "within", "7d"));
        assertEquals(1.0, s.value("broker_agents_renewal_overdue", "tenant", "acme"));
        double caSeconds = bob.chain().get(1).getNotAfter().toInstant().getEpochSecond() - refreshed.getEpochSecond();
        assertEquals(caSeconds, s.value("broker_tenant_ca_expiry_seconds", "tenant", "acme"), 30.0);
        long head = broker.count("SELECT seq FROM audit_chain_heads WHERE chain = 'acme'");
        assertEquals((double) head, s.value("broker_audit_chain_head_seq", "tenant", "acme"));
        assertEquals(1.0, s.value("broker_audit_chain_valid", "tenant", "acme"));
        Double keyAge = s.value("broker_oauth_transit_key_age_seconds");
        assertNotNull(keyAge);
        assertTrue(keyAge >= 0, "key age " + keyAge);

        broker.context().getBean(VaultProbe.class).check();
        s = scrape();
        assertEquals(1.0, s.value("broker_vault_up"));
        assertEquals(0.0, s.value("broker_vault_sealed"));
        Set<String> undocumented = new TreeSet<>(s.families());
        undocumented.removeAll(documentedMetrics());
        Set<String> documented = documentedMetrics();
        // a timer or summary's _max comes with it and is documented there
        undocumented.removeIf(name -> !name.startsWith("broker_")
                || name.endsWith("_max") && documented.contains(name.substring(0, name.length() - 4)));
        assertEquals(Set.of(), undocumented, "every broker metric is in the table of docs/operations.md");

        // an edited event in the tail: the chain no longer verifies
        broker.update("UPDATE audit_events SET actor = 'someone-else' WHERE chain = 'acme' AND seq = ?", head);
        broker.context().getBean(InventoryGauges.class).refresh();
        assertEquals(0.0, scrape().value("broker_audit_chain_valid", "tenant", "acme"));
    }

    @Test
    void theInventoryAndVaultGaugesRefreshOnTheirOwnSchedule() throws Exception {
        try (BrokerInstance scheduled = BrokerInstance.start(vault, Map.of("broker.metrics.inventory-interval", "1s",
                "broker.metrics.vault-probe-interval", "1s"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            double first = Double.NaN;
            double later = Double.NaN;
            PrometheusScrape s = PrometheusScrape.parse("");
            while (System.nanoTime() < deadline && (!(later > first) || s.value("broker_vault_up") == null)) {
                BrokerApi.Response r = scheduled.api().get("/prometheus", vault.platformAdminToken());
                assertEquals(200, r.status(), r.raw());
                s = PrometheusScrape.parse(r.raw());
                // absent until the first scheduled run creates the bean and its gauges
                Double refreshed = s.value("broker_metrics_inventory_refreshed");
                if (refreshed != null && !refreshed.isNaN()) {
                    if (Double.isNaN(first)) {
                        first = refreshed;
                    } else {
                        later = refreshed;
                    }
                }
                Thread.sleep(500);
            }
            assertTrue(later > first, "the inventory was refreshed by its schedule: " + first + " -> " + later);
            assertEquals(1.0, s.value("broker_vault_up"), "the Vault probe ran by its schedule");
        }
    }

    @Test
    void prometheusNeedsTheMetricsReadRightWhichTheScraperPolicyGivesAndNothingElse() {
        assertEquals(401, api.get("/prometheus", null).status());
        assertEquals(403, api.get("/prometheus", vault.adminToken("acme")).status());
        String scraper = vault.request("POST", "auth/token/create", Map.of("policies", List.of("metrics-reader"), "ttl", "10m"))
                .path("auth").path("client_token").asText();
        assertEquals(404, api.get("/api/v1/tenants/acme", scraper).status(), "no tenant exists for a scraper");
        BrokerApi.Response ok = api.get("/prometheus", scraper);
        assertEquals(200, ok.status());
        assertTrue(ok.header("Content-Type").startsWith("text/plain"), ok.header("Content-Type"));
    }

    @Test
    void healthShowsDetailsOnlyToTheMetricsReader() {
        for (String path : List.of("/health", "/health/readiness", "/health/liveness")) {
            BrokerApi.Response anonymous = api.get(path, null);
            assertEquals(200, anonymous.status(), path + " " + anonymous.raw());
            assertEquals("UP", anonymous.body().path("status").asText(), anonymous.raw());
            assertTrue(noDetails(anonymous), anonymous.raw());
            BrokerApi.Response tenantAdmin = api.get(path, vault.adminToken("acme"));
            assertTrue(noDetails(tenantAdmin), tenantAdmin.raw());
        }
        BrokerApi.Response operator = api.get("/health/readiness", vault.platformAdminToken());
        assertEquals(200, operator.status(), operator.raw());
        JsonNode details = operator.body().path("details");
        assertEquals("UP", details.path("database-write").path("status").asText(), operator.raw());
        assertEquals("valid", details.path("vault").path("details").path("token").asText(), operator.raw());
        assertFalse(operator.raw().contains("jdbc"), "no connection URL, even for operators: " + operator.raw());
        assertFalse(operator.raw().contains("diskSpace"), operator.raw());
    }

    /** The names in the first column of the metrics table of docs/operations.md (a cell may name several). */
    private static Set<String> documentedMetrics() {
        try {
            Set<String> names = new TreeSet<>();
            Pattern name = Pattern.compile("`(broker_[a-z0-9_]+)`");
            for (String line : Files.readAllLines(TestVault.repoRoot().resolve("docs/operations.md"))) {
                if (line.startsWith("| `broker_")) {
                    Matcher m = name.matcher(line.split("\\|")[1]);
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean noDetails(BrokerApi.Response r) {
        JsonNode details = r.body().path("details");
        return details.isMissingNode() || details.isNull();
    }

    private JsonNode introspect(String token) {
        BrokerApi.Response r = api.postForm("/oauth2/introspect", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    private PrometheusScrape scrape() {
        BrokerApi.Response r = api.get("/prometheus", vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        return PrometheusScrape.parse(r.raw());
    }
}
