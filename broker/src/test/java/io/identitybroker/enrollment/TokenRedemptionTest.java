package io.identitybroker.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single use means single use, under concurrency, and every unusable token looks the same. */
class TokenRedemptionTest extends BrokerTest {
    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    @Test
    void fiftyParallelExchangesOfASingleUseTokenYieldExactlyOneCertificate() throws Exception {
        assertParallelRedemptions(1);
    }

    @Test
    void fiftyParallelExchangesOfAFiveUseTokenYieldExactlyFiveCertificates() throws Exception {
        assertParallelRedemptions(5);
    }

    private void assertParallelRedemptions(int maxUses) throws Exception {
        JsonNode token = fixtures.token("acme", maxUses, 600);
        String secret = token.path("token").asText();
        int before = vault.certificateCount("pki-tenants/acme");
        List<String> csrs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            csrs.add(Csrs.p256().pem());
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BrokerApi.Response>> futures = new ArrayList<>();
        for (String csr : csrs) {
            futures.add(pool.submit(() -> {
                go.await();
                return fixtures.exchange(secret, csr);
            }));
        }
        go.countDown();
        int ok = 0;
        int rejected = 0;
        for (Future<BrokerApi.Response> f : futures) {
            BrokerApi.Response r = f.get();
            if (r.status() == 200) {
                ok++;
            } else {
                assertEquals(401, r.status(), r.raw());
                assertEquals("invalid_enrollment_token", r.problemType());
                rejected++;
            }
        }
        pool.shutdown();

        assertEquals(maxUses, ok);
        assertEquals(50 - maxUses, rejected);
        String tokenId = token.path("id").asText();
        assertEquals(maxUses, broker.count("SELECT uses FROM enrollment_tokens WHERE id = ?", tokenId));
        assertEquals(maxUses, broker.count("SELECT count(*) FROM agents WHERE enrollment_token_id = ?", tokenId));
        assertEquals(50 - maxUses, broker.count(
                "SELECT count(*) FROM audit_events WHERE type = 'agent.enrollment.failed' AND subject = ?", tokenId));
        // Vault signed exactly as many certificates as were handed out: no signature for a losing request.
        assertEquals(before + maxUses, vault.certificateCount("pki-tenants/acme"));
    }

    @Test
    void expiredRevokedUnknownSpentAndSuspendedTenantTokensGetTheSame401AndVaultIsNotCalled() throws Exception {
        Map<String, String> tokens = new java.util.LinkedHashMap<>();

        JsonNode expired = fixtures.token("acme", 1, 1);
        tokens.put("expired", expired.path("token").asText());

        JsonNode revoked = fixtures.token("acme", 1, 600);
        BrokerApi.Response del = api.send("DELETE", "/api/v1/tenants/acme/enrollment-tokens/" + revoked.path("id").asText(),
                null, vault.adminToken("acme"), Map.of());
        assertEquals(204, del.status(), del.raw());
        tokens.put("revoked", revoked.path("token").asText());

        tokens.put("unknown", "ibet_" + "A".repeat(43));

        String spent = fixtures.tokenSecret("acme");
        assertEquals(200, fixtures.exchange(spent, Csrs.p256().pem()).status());
        tokens.put("spent", spent);

        String suspendedTenantToken = fixtures.tokenSecret("globex");
        BrokerApi.Response suspend = api.send("PATCH", "/api/v1/tenants/globex", Map.of("status", "suspended"),
                vault.platformAdminToken(), Map.of());
        assertEquals(200, suspend.status(), suspend.raw());
        tokens.put("tenant_suspended", suspendedTenantToken);

        Thread.sleep(1100); // let the 1-second token expire
        int acmeBefore = vault.certificateCount("pki-tenants/acme");
        int globexBefore = vault.certificateCount("pki-tenants/globex");
        List<String> bodies = new ArrayList<>();
        for (var entry : tokens.entrySet()) {
            BrokerApi.Response r = fixtures.exchange(entry.getValue(), Csrs.p256().pem());
            assertEquals(401, r.status(), entry.getKey() + ": " + r.raw());
            assertEquals("invalid_enrollment_token", r.problemType(), entry.getKey());
            bodies.add(r.body().path("detail").asText() + "|" + r.body().path("title").asText());
            String cid = r.header("X-Correlation-Id");
            List<Map<String, Object>> events = broker.query(
                    "SELECT details, outcome FROM audit_events WHERE type = 'agent.enrollment.failed' AND correlation_id = ?", cid);
            assertEquals(1, events.size(), entry.getKey());
            assertTrue(events.get(0).get("details").toString().contains("\"reason\":\"" + entry.getKey() + "\""),
                    entry.getKey() + " -> " + events.get(0));
        }
        assertEquals(1, bodies.stream().distinct().count(), "no oracle: every unusable token gets the same answer");
        assertEquals(acmeBefore, vault.certificateCount("pki-tenants/acme"));
        assertEquals(globexBefore, vault.certificateCount("pki-tenants/globex"));

        api.send("PATCH", "/api/v1/tenants/globex", Map.of("status", "active"), vault.platformAdminToken(), Map.of());
    }

    @Test
    void listingTokensNeverShowsTheSecretAndTheDatabaseHoldsOnlyItsHash() {
        JsonNode issued = fixtures.token("acme", 2, 600);
        String secret = issued.path("token").asText();
        assertTrue(secret.startsWith("ibet_") && secret.length() >= 5 + 43, "256 bits, base64url");
        BrokerApi.Response list = api.get("/api/v1/tenants/acme/enrollment-tokens", vault.adminToken("acme"));
        assertEquals(200, list.status());
        assertTrue(list.raw().contains(issued.path("id").asText()));
        assertTrue(!list.raw().contains(secret));
        for (JsonNode t : list.body().path("enrollment_tokens")) {
            assertTrue(t.path("token").isMissingNode());
        }
        String stored = broker.query("SELECT token_hash FROM enrollment_tokens WHERE id = ?", issued.path("id").asText())
                .get(0).get("token_hash").toString();
        assertEquals(64, stored.length());
        assertTrue(!stored.contains(secret.substring(5, 20)));
    }
}
