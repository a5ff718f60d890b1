package io.identitybroker.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4's "Must hold" list for the verifier and introspection, against the real Vault (transit
 * signs, PKI issues the agents' certificates) and the broker over real TLS: tokens come from the
 * token endpoint over mTLS; revocation and rotation go through the real admin and agent routes.
 */
class CertificateBoundTokensTest extends BrokerTest {
    private static final String ISSUER = "https://broker.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GRACE = Duration.ofSeconds(3);

    private EnrolledAgent agentA;
    private EnrolledAgent agentB;

    @Override
    protected Map<String, Object> databaseProperties() {
        // A short rotation grace, and a sweep that revokes grace-expired certificates soon after.
        return Map.of("broker.oauth.issuer", ISSUER, "broker.rotation.grace", GRACE.toMillis() + "ms",
                "broker.rotation.sweep-interval", "1s");
    }

    @BeforeAll
    void enrollAgents() {
        agentA = EnrolledAgent.enroll(fixtures, "acme");
        agentB = EnrolledAgent.enroll(fixtures, "acme");
    }

    /** A token from the real token endpoint, requested over mTLS with the agent's certificate. */
    private String issueToken(EnrolledAgent agent) {
        return TokenRequests.issue(agent.mtls(broker, vault), agent);
    }

    private BrokerApi.Response requestToken(EnrolledAgent agent) {
        return TokenRequests.post(agent.mtls(broker, vault), TokenRequests.form(agent, ""));
    }

    private Jwks servedJwks() {
        BrokerApi.Response r = api.get("/oauth2/jwks", null);
        assertEquals(200, r.status(), r.raw());
        return Jwks.parse(r.raw());
    }

    private CertificateBoundTokenVerifier verifier() {
        return CertificateBoundTokenVerifier.builder(servedJwks()).issuer(ISSUER).audience(ISSUER).build();
    }

    private BrokerApi.Response introspect(String token, String vaultToken) {
        return api.postForm("/oauth2/introspect", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), vaultToken);
    }

    private boolean active(String token) {
        BrokerApi.Response r = introspect(token, vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        assertEquals("no-store", r.header("Cache-Control"));
        return r.body().path("active").asBoolean();
    }

    private String reason(String token, java.security.cert.X509Certificate cert) {
        return assertThrows(InvalidAccessTokenException.class, () -> verifier().verify(token, cert)).reason();
    }

    /** A token signed by the real transit key with claims the test chooses (e.g. without cnf). */
    private String transitSigned(Map<String, Object> claims) throws Exception {
        return broker.context().getBean(TokenSigner.class).sign("at+jwt", JSON.writeValueAsBytes(claims));
    }

    private Map<String, Object> claimsOf(String jwt) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = JSON.readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), LinkedHashMap.class);
        return claims;
    }

    @Test
    void tokenOfAgentAPassesWithAsCertificateAndFailsWithBs() {
        String token = issueToken(agentA);
        AccessToken verified = verifier().verify(token, agentA.certificate());
        assertEquals(agentA.spiffeId(), verified.subject());
        assertEquals("binding_mismatch", reason(token, agentB.certificate()));
        assertEquals("no_client_certificate", reason(token, null));
    }

    @Test
    void aTokenWhoseSubNamesAnotherAgentThanTheOwnerOfItsBindingIsRefusedAndInactive() throws Exception {
        Map<String, Object> claims = claimsOf(issueToken(agentA));
        assertTrue(active(transitSigned(claims)), "the same claims, re-signed unchanged, are active");
        assertEquals(agentA.spiffeId(), verifier().verify(transitSigned(claims), agentA.certificate()).subject());

        claims.put("sub", agentB.spiffeId()); // bound to A's certificate, client_id A, but about B
        String aboutB = transitSigned(claims);
        assertEquals("subject_mismatch", reason(aboutB, agentA.certificate()));
        assertFalse(active(aboutB));
        claims.put("sub", agentA.spiffeId().replace(agentA.agentId(), java.util.UUID.randomUUID().toString()));
        String aboutNobody = transitSigned(claims);
        assertEquals("subject_mismatch", reason(aboutNobody, agentA.certificate()));
        assertFalse(active(aboutNobody));
    }

    @Test
    void tokenWithoutCnfFailsTheVerifierAndIsInactive() throws Exception {
        Map<String, Object> claims = claimsOf(issueToken(agentA));
        claims.remove("cnf");
        String unbound = transitSigned(claims);
        assertEquals("missing_binding", reason(unbound, agentA.certificate()));
        assertFalse(active(unbound));
    }

    @Test
    void noneHmacUnknownOrTraversalKidAndJkuAreRejected() throws Exception {
        String good = issueToken(agentA);
        String[] parts = good.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        Map<String, Object> claims = claimsOf(good);
        Jwks jwks = servedJwks();
        String kid = header.path("kid").asText();
        ECPublicKey pub = jwks.key(kid).orElseThrow();

        Map<String, Object> none = Map.of("alg", "none", "typ", "at+jwt", "kid", kid);
        String algNone = TestJws.part(none) + "." + parts[1] + ".";
        String algNoneSigned = TestJws.part(none) + "." + parts[1] + "." + parts[2];
        Map<String, Object> hs = Map.of("alg", "HS256", "typ", "at+jwt", "kid", kid);
        String hmacDer = TestJws.hs256(hs, claims, pub.getEncoded());
        String hmacJwk = TestJws.hs256(hs, claims, JSON.writeValueAsBytes(EcJwk.toJwk(pub, kid)));
        KeyPair attacker = TestJws.p256();
        String unknownKid = TestJws.es256(Map.of("alg", "ES256", "typ", "at+jwt", "kid", "identity-broker-jwt-v999"), claims, attacker.getPrivate());
        String traversalKid = TestJws.es256(Map.of("alg", "ES256", "typ", "at+jwt", "kid", "../../" + kid), claims, attacker.getPrivate());
        String jku = TestJws.es256(Map.of("alg", "ES256", "typ", "at+jwt", "kid", kid, "jku", "https://attacker.test/jwks"),
                claims, attacker.getPrivate());

        assertEquals("malformed", reason(algNone, agentA.certificate()));
        assertEquals("unsupported_algorithm", reason(algNoneSigned, agentA.certificate()));
        assertEquals("unsupported_algorithm", reason(hmacDer, agentA.certificate()));
        assertEquals("unsupported_algorithm", reason(hmacJwk, agentA.certificate()));
        assertEquals("unknown_key", reason(unknownKid, agentA.certificate()));
        assertEquals("unknown_key", reason(traversalKid, agentA.certificate()));
        assertEquals("forbidden_header", reason(jku, agentA.certificate()));
        for (String hostile : List.of(algNone, algNoneSigned, hmacDer, hmacJwk, unknownKid, traversalKid, jku)) {
            assertFalse(active(hostile));
        }
        assertTrue(active(good));
    }

    @Test
    void introspectionReportsTheTokenWhileActive() {
        String token = issueToken(agentA);
        BrokerApi.Response r = introspect(token, vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        JsonNode b = r.body();
        assertTrue(b.path("active").asBoolean());
        assertEquals(agentA.spiffeId(), b.path("sub").asText());
        assertEquals(agentA.agentId(), b.path("client_id").asText());
        assertEquals("acme", b.path("tenant").asText());
        assertEquals("orders.read", b.path("scope").asText());
        assertEquals(agentA.x5t(), b.path("cnf").path("x5t#S256").asText());
        assertTrue(b.path("exp").asLong() > Instant.now().getEpochSecond());
        assertTrue(b.path("iat").asLong() <= Instant.now().getEpochSecond());
    }

    @Test
    void afterAnAdminRevokeTheTokenIsInactiveOnTheVeryNextCallAndTheTokenEndpointRefusesTheAgent() {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        String token = issueToken(agent);
        assertTrue(active(token));
        BrokerApi.Response revoked = api.post("/api/v1/tenants/acme/agents/" + agent.agentId() + "/revoke", null,
                vault.adminToken("acme"));
        assertEquals(200, revoked.status(), revoked.raw());

        assertFalse(active(token));
        BrokerApi.Response refused = requestToken(agent);
        assertEquals(401, refused.status(), refused.raw());
        assertEquals("invalid_client", refused.body().path("error").asText());
        assertEquals("no-store", refused.header("Cache-Control"));
        List<Map<String, Object>> events = broker.query("SELECT subject, details FROM audit_events"
                + " WHERE type = 'oauth.client_authentication.failed' AND subject = ?", agent.agentId());
        assertEquals(1, events.size(), events.toString());
        assertTrue(String.valueOf(events.get(0).get("details")).contains("client_certificate_revoked"), events.toString());
    }

    @Test
    void afterRotationThePreviousCertificatesTokensStayActiveUntilTheGraceEndsThenNot() throws Exception {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        String oldToken = issueToken(agent);
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response r = agent.mtls(broker, vault).send("POST", agent.path() + "/certificate/rotate",
                Map.of("csr", csr.pem()), null, agent.basic());
        assertEquals(200, r.status(), r.raw());
        Instant graceEnds = Instant.now().plus(GRACE);
        EnrolledAgent rotated = agent.rotated(csr.keys(), r.body());

        // inside the grace: the old token, and a token the old certificate still obtains, are active
        assertTrue(active(oldToken));
        verifier().verify(oldToken, agent.certificate());
        String lateOldToken = issueToken(agent);
        assertTrue(active(lateOldToken));
        // a token bound to the replaced certificate does not outlive its grace
        assertTrue(claimsOf(lateOldToken).get("exp") instanceof Number n && n.longValue() <= graceEnds.getEpochSecond() + 1);
        String newToken = issueToken(rotated);
        assertEquals(rotated.x5t(), introspect(newToken, vault.platformAdminToken()).body().path("cnf").path("x5t#S256").asText());
        assertEquals("binding_mismatch", reason(newToken, agent.certificate()));

        Thread.sleep(Math.max(0, graceEnds.toEpochMilli() - System.currentTimeMillis()) + 300);
        assertFalse(active(oldToken));
        assertFalse(active(lateOldToken));
        assertTrue(active(newToken));
        assertEquals(401, requestToken(agent).status());

        // and once the sweep has revoked the old certificate in Vault (binding REVOKED), still inactive
        long deadline = System.currentTimeMillis() + 20_000;
        while (broker.count("SELECT COUNT(*) FROM certificate_bindings WHERE x5t_s256 = ? AND status = 'REVOKED'",
                agent.x5t()) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(1, broker.count("SELECT COUNT(*) FROM certificate_bindings WHERE x5t_s256 = ? AND status = 'REVOKED'",
                agent.x5t()));
        assertFalse(active(oldToken));
        assertTrue(active(newToken));
    }

    @Test
    void suspendedTenantsTokensAreInactive() {
        fixtures.tenant("globex");
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "globex");
        String token = issueToken(agent);
        assertTrue(active(token));
        assertEquals(200, api.send("PATCH", "/api/v1/tenants/globex", Map.of("status", "suspended"),
                vault.platformAdminToken(), Map.of()).status());
        assertFalse(active(token));
    }

    @Test
    void expiredOrTamperedTokensAreInactive() throws Exception {
        Map<String, Object> claims = claimsOf(issueToken(agentA));
        claims.put("exp", Instant.now().getEpochSecond() - 10);
        assertFalse(active(transitSigned(claims)));
        String good = issueToken(agentA);
        String[] p = good.split("\\.");
        Map<String, Object> widened = claimsOf(good);
        widened.put("scope", "orders.read orders.write");
        assertFalse(active(p[0] + "." + TestJws.part(widened) + "." + p[2]));
        // A token naming another agent's certificate is not that agent's token.
        Map<String, Object> swapped = claimsOf(good);
        swapped.put("cnf", Map.of("x5t#S256", agentB.x5t()));
        assertFalse(active(transitSigned(swapped)));
    }

    @Test
    void introspectionNeverReadsVaultPerRequest() throws Exception {
        String token = issueToken(agentA);
        MeterRegistry metrics = broker.context().getBean(MeterRegistry.class);
        active(token);
        double reads = metrics.counter("broker.oauth.transit.key.reads").count();
        double signs = metrics.counter("broker.oauth.transit.sign.calls").count();
        for (int i = 0; i < 20; i++) {
            assertTrue(active(token));
        }
        // A flood of tokens naming versions the broker has not seen reads the key at most once per 5 s.
        Map<String, Object> claims = claimsOf(token);
        for (int i = 0; i < 20; i++) {
            assertFalse(active(TestJws.es256(Map.of("alg", "ES256", "typ", "at+jwt", "kid", "identity-broker-jwt-v" + (500 + i)),
                    claims, TestJws.p256().getPrivate())));
        }
        assertTrue(metrics.counter("broker.oauth.transit.key.reads").count() - reads <= 1);
        assertEquals(signs, metrics.counter("broker.oauth.transit.sign.calls").count());
    }

    @Test
    void introspectionNeedsAVaultTokenWithReadOnTheIntrospectPath() {
        String token = issueToken(agentA);
        long before = broker.count("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication.failed'");

        BrokerApi.Response none = introspect(token, null);
        assertEquals(401, none.status(), none.raw());
        assertEquals("invalid_client", none.body().path("error").asText());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
        assertTrue(none.header("Content-Type").startsWith("application/json"));

        BrokerApi.Response bogus = introspect(token, "hvs.not-a-token");
        assertEquals(401, bogus.status());
        assertEquals("invalid_client", bogus.body().path("error").asText());

        BrokerApi.Response tenantAdmin = introspect(token, vault.adminToken("acme"));
        assertEquals(403, tenantAdmin.status(), tenantAdmin.raw());
        assertEquals("unauthorized_client", tenantAdmin.body().path("error").asText());
        assertFalse(tenantAdmin.raw().contains("active"));

        List<Map<String, Object>> events = broker.query(
                "SELECT actor, outcome, details FROM audit_events WHERE type = 'oauth.client_authentication.failed' ORDER BY at");
        assertEquals(before + 3, events.size());
        String all = events.toString();
        assertTrue(all.contains("no_credentials") && all.contains("invalid_vault_token") && all.contains("insufficient_capability"), all);
        assertFalse(all.contains(token) || all.contains("hvs.not-a-token") || all.contains(vault.adminToken("acme")));
    }

    @Test
    void introspectionRefusesMalformedRequests() {
        String admin = vault.platformAdminToken();
        BrokerApi.Response missing = api.postForm("/oauth2/introspect", "token_type_hint=access_token", admin);
        assertEquals(400, missing.status(), missing.raw());
        assertEquals("invalid_request", missing.body().path("error").asText());
        BrokerApi.Response repeated = api.postForm("/oauth2/introspect", "token=a&token=b", admin);
        assertEquals(400, repeated.status());
        assertEquals("invalid_request", repeated.body().path("error").asText());
        BrokerApi.Response garbage = api.postForm("/oauth2/introspect", "token=not-a-jwt", admin);
        assertEquals(200, garbage.status());
        assertEquals("{\"active\":false}", garbage.raw());
    }
}
