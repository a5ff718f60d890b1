package io.identitybroker.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.TestVault;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens from the token endpoint (mTLS), signed by the real Vault transit key, checked against the JWKS served over HTTPS. */
class TransitSigningTest extends BrokerTest {
    private EnrolledAgent agent;
    private BrokerApi client;

    @Override
    protected Map<String, Object> databaseProperties() {
        return Map.of("broker.oauth.issuer", "https://broker.test");
    }

    @BeforeAll
    void enrollAgent() {
        agent = EnrolledAgent.enroll(fixtures, "acme");
        client = agent.mtls(broker, vault);
    }

    private CertificateBoundTokenVerifier verifierFromServedJwks() {
        BrokerApi.Response r = api.get("/oauth2/jwks", null);
        assertEquals(200, r.status(), r.raw());
        return CertificateBoundTokenVerifier.builder(Jwks.parse(r.raw())).issuer("https://broker.test")
                .audience("https://broker.test").build();
    }

    private JsonNode header(String jwt) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int latestVersion() {
        return vault.request("GET", "transit/keys/identity-broker-jwt", null).path("data").path("latest_version").asInt();
    }

    @Test
    void aTransitSignedTokenVerifiesAgainstTheServedJwksWithItsCertificate() {
        String jwt = TokenRequests.issue(client, agent);
        JsonNode header = header(jwt);
        assertEquals("ES256", header.path("alg").asText());
        assertEquals("at+jwt", header.path("typ").asText());
        assertEquals("identity-broker-jwt-v" + latestVersion(), header.path("kid").asText());
        assertEquals(3, header.size());

        AccessToken t = verifierFromServedJwks().verify(jwt, agent.certificate());
        assertEquals(agent.spiffeId(), t.subject());
        assertEquals(agent.agentId(), t.clientId());
        assertEquals("acme", t.tenant());
        assertEquals("orders.read", t.scope());
        assertEquals(Thumbprints.x5tS256(agent.certificate()), t.x5tS256());
        assertEquals(600, t.expiresAt().getEpochSecond() - t.issuedAt().getEpochSecond());
        assertTrue(t.jwtId() != null && !t.jwtId().isBlank());
    }

    @Test
    void jwksListsEveryLiveVersionAsEs256SigningKeys() {
        BrokerApi.Response r = api.get("/oauth2/jwks", null);
        assertEquals(200, r.status());
        assertTrue(r.header("Cache-Control").contains("max-age"));
        JsonNode keys = r.body().path("keys");
        assertTrue(keys.size() >= 1);
        for (JsonNode k : keys) {
            assertEquals("EC", k.path("kty").asText());
            assertEquals("P-256", k.path("crv").asText());
            assertEquals("ES256", k.path("alg").asText());
            assertEquals("sig", k.path("use").asText());
            assertTrue(k.path("kid").asText().matches("identity-broker-jwt-v[0-9]+"));
            assertFalse(k.has("d"));
        }
    }

    @Test
    void metadataAdvertisesCertificateBoundTokensAndTheMtlsAliases() {
        BrokerApi.Response r = api.get("/.well-known/oauth-authorization-server", null);
        assertEquals(200, r.status(), r.raw());
        JsonNode m = r.body();
        assertEquals("https://broker.test", m.path("issuer").asText());
        assertEquals("https://broker.test/oauth2/token", m.path("token_endpoint").asText());
        assertEquals("https://broker.test/oauth2/introspect", m.path("introspection_endpoint").asText());
        assertEquals("https://broker.test/oauth2/jwks", m.path("jwks_uri").asText());
        assertEquals("client_credentials", m.path("grant_types_supported").get(0).asText());
        assertTrue(m.path("response_types_supported").isArray() && m.path("response_types_supported").isEmpty(),
                "RFC 8414 requires response_types_supported; empty, as docs/oauth.md shows: " + m);
        assertEquals("tls_client_auth", m.path("token_endpoint_auth_methods_supported").get(0).asText());
        assertTrue(m.path("tls_client_certificate_bound_access_tokens").asBoolean());
        assertEquals("https://broker.test/oauth2/token", m.path("mtls_endpoint_aliases").path("token_endpoint").asText());
        assertEquals("https://broker.test/oauth2/introspect", m.path("mtls_endpoint_aliases").path("introspection_endpoint").asText());
    }

    @Test
    void concurrentSigningIsBatchedIntoFewerVaultCalls() throws Exception {
        MeterRegistry metrics = broker.context().getBean(MeterRegistry.class);
        double callsBefore = metrics.counter("broker.oauth.transit.sign.calls").count();
        double issuedBefore = metrics.counter("broker.oauth.tokens.issued", "tenant", "acme").count();
        int n = 200;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Callable<String>> work = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                work.add(() -> TokenRequests.issue(client, agent));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(work)) {
                tokens.add(f.get());
            }
            CertificateBoundTokenVerifier verifier = verifierFromServedJwks();
            tokens.forEach(t -> verifier.verify(t, agent.certificate()));
            assertEquals(n, tokens.stream().distinct().count());
        } finally {
            pool.shutdownNow();
        }
        double calls = metrics.counter("broker.oauth.transit.sign.calls").count() - callsBefore;
        assertEquals(n, metrics.counter("broker.oauth.tokens.issued", "tenant", "acme").count() - issuedBefore);
        System.out.println("transit/sign calls for " + n + " concurrent tokens: " + calls);
        assertTrue(calls < n, "expected batching, got " + calls + " transit calls for " + n + " tokens");
        assertTrue(calls >= 1);
    }

    @Test
    void afterATransitRotationOldTokensStillVerifyAndNewOnesCarryTheNewKid() {
        String before = TokenRequests.issue(client, agent);
        String oldKid = header(before).path("kid").asText();

        vault.request("POST", "transit/keys/identity-broker-jwt/rotate", null);
        String newKid = "identity-broker-jwt-v" + latestVersion();
        assertFalse(newKid.equals(oldKid));

        // The very next token already names the new version: the signer notices Vault signed with it.
        String after = TokenRequests.issue(client, agent);
        assertEquals(newKid, header(after).path("kid").asText());

        CertificateBoundTokenVerifier verifier = verifierFromServedJwks();
        verifier.verify(before, agent.certificate());
        verifier.verify(after, agent.certificate());
        List<String> kids = Jwks.parse(api.get("/oauth2/jwks", null).raw()).kids();
        assertTrue(kids.contains(oldKid) && kids.contains(newKid), kids.toString());
        assertEquals(newKid, kids.get(0));
    }

    @Test
    void aStaleJwksFindsTheNewKeyAfterARefresh() {
        CertificateBoundTokenVerifier stale = verifierFromServedJwks();
        vault.request("POST", "transit/keys/identity-broker-jwt/rotate", null);
        String after = TokenRequests.issue(client, agent);
        InvalidAccessTokenException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidAccessTokenException.class,
                () -> stale.verify(after, agent.certificate()));
        assertEquals("unknown_key", e.reason());
        verifierFromServedJwks().verify(after, agent.certificate());
        assertTrue(new String(Base64.getUrlDecoder().decode(after.split("\\.")[1]), StandardCharsets.UTF_8).contains("\"cnf\""));
    }

    @Test
    void issuanceCountsAreMetricsForOperatorsOnly() {
        TokenRequests.issue(client, agent);
        assertEquals(401, api.get("/metrics/broker.oauth.tokens.issued", null).status());
        assertEquals(403, api.get("/metrics/broker.oauth.tokens.issued", vault.adminToken("acme")).status());
        BrokerApi.Response r = api.get("/metrics/broker.oauth.tokens.issued?tag=tenant:acme", vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.body().path("measurements").get(0).path("value").asDouble() >= 1, r.raw());
        assertEquals(0, broker.count("SELECT COUNT(*) FROM audit_events WHERE type LIKE 'oauth.token%'"));
    }

    @Test
    void unreachableVaultGivesJwksA503WithRetryAfterAndIsNotAskedOnEveryRequest() {
        Map<String, Object> props = Map.of("broker.vault.address", "http://127.0.0.1:" + TestVault.freePort());
        try (io.identitybroker.testing.BrokerInstance cut = io.identitybroker.testing.BrokerInstance.start(vault, props)) {
            MeterRegistry metrics = cut.context().getBean(MeterRegistry.class);
            for (int i = 0; i < 5; i++) {
                BrokerApi.Response r = cut.api().get("/oauth2/jwks", null);
                assertEquals(503, r.status(), r.raw());
                assertTrue(r.header("Retry-After") != null);
            }
            assertEquals(1.0, metrics.counter("broker.oauth.transit.key.reads").count());
        }
    }
}
