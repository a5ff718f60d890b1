package io.identitybroker.spiffe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.oauth.CertificateBoundTokenVerifier;
import io.identitybroker.oauth.InvalidAccessTokenException;
import io.identitybroker.oauth.Jwks;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JWT-SVIDs from {@code POST /api/v1/agents/{id}/jwt-svids} over real mTLS, signed by the real
 * transit key, verified from the served bundle alone; the refusals; and that JWT-SVIDs and access
 * tokens never pass for each other.
 */
class JwtSvidTest extends BrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private EnrolledAgent agent;
    private BrokerApi client;

    @BeforeAll
    void enrollAgent() {
        agent = EnrolledAgent.enroll(fixtures, "acme");
        client = agent.mtls(broker, vault);
    }

    private BrokerApi.Response request(BrokerApi via, EnrolledAgent as, String path, Object body) {
        return via.send("POST", path + "/jwt-svids", body, null, as.basic());
    }

    private BrokerApi.Response request(Object body) {
        return request(client, agent, agent.path(), body);
    }

    private String bundleJson() {
        BrokerApi.Response r = api.get("/spiffe/bundles/" + vault.trustDomain(), null);
        assertEquals(200, r.status(), r.raw());
        return r.raw();
    }

    private static JsonNode part(String jwt, int i) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies with the JDK from the bundle JSON alone: the jwt-svid entry whose kid the token names. */
    private static boolean verifiesWithBundle(String jwt, String bundleJson) throws Exception {
        String kid = part(jwt, 0).path("kid").asText();
        for (JsonNode k : JSON.readTree(bundleJson).path("keys")) {
            if ("jwt-svid".equals(k.path("use").asText()) && kid.equals(k.path("kid").asText())) {
                AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
                p.init(new ECGenParameterSpec("secp256r1"));
                ECPoint w = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(k.path("x").asText())),
                        new BigInteger(1, Base64.getUrlDecoder().decode(k.path("y").asText())));
                PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p.getParameterSpec(ECParameterSpec.class)));
                Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
                s.initVerify(key);
                s.update(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
                return s.verify(Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1)));
            }
        }
        return false;
    }

    private long events(String outcome) {
        return broker.count("SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued' AND outcome = ?", outcome);
    }

    @Test
    void aJwtSvidCarriesTheAgentsSpiffeIdAndVerifiesWithTheBundlesJwtSvidKey() throws Exception {
        MeterRegistry metrics = broker.context().getBean(MeterRegistry.class);
        double before = metrics.counter("broker.spiffe.jwt_svids.issued", "tenant", "acme").count();
        long successes = events("success");

        BrokerApi.Response r = request(Map.of("audience", List.of("https://orders.example", "spiffe://example.org/db")));
        assertEquals(200, r.status(), r.raw());
        assertEquals("no-store", r.header("Cache-Control"));
        String jwt = r.body().path("token").asText();
        assertEquals(agent.spiffeId(), r.body().path("spiffe_id").asText());
        assertEquals("[\"https://orders.example\",\"spiffe://example.org/db\"]", r.body().path("audience").toString());

        JsonNode header = part(jwt, 0);
        assertEquals("ES256", header.path("alg").asText());
        assertEquals("JWT", header.path("typ").asText());
        assertTrue(header.path("kid").asText().startsWith("identity-broker-jwt-svid-v"), header.toString());
        JsonNode claims = part(jwt, 1);
        assertEquals(agent.spiffeId(), claims.path("sub").asText());
        assertEquals(r.body().path("audience"), claims.path("aud"));
        assertEquals(300, claims.path("exp").asLong() - claims.path("iat").asLong());
        assertEquals(Instant.ofEpochSecond(claims.path("exp").asLong()), Instant.parse(r.body().path("expires_at").asText()));
        assertFalse(claims.has("cnf") || claims.has("scope") || claims.has("client_id"), claims.toString());

        String bundle = bundleJson();
        assertTrue(verifiesWithBundle(jwt, bundle), "the bundle's jwt-svid key verifies the JWT-SVID");
        JwtSvidVerifier.Verified v = new JwtSvidVerifier(JwtSvidVerifier.bundleKeys(bundle), vault.trustDomain(),
                "https://orders.example", Clock.systemUTC()).verify(jwt);
        assertEquals(agent.spiffeId(), v.subject().toString());

        assertEquals(1, metrics.counter("broker.spiffe.jwt_svids.issued", "tenant", "acme").count() - before);
        assertEquals(successes + 1, events("success"));
        Map<String, Object> event = broker.query("SELECT tenant, subject, details FROM audit_events"
                + " WHERE type = 'agent.jwt_svid.issued' AND outcome = 'success' ORDER BY at DESC, seq DESC").get(0);
        assertEquals(agent.agentId(), event.get("subject"));
        String details = String.valueOf(event.get("details"));
        assertTrue(details.contains("https://orders.example") && details.contains(claims.path("jti").asText()), details);
        assertFalse(details.contains(jwt.split("\\.")[2]), "the token is never recorded");
    }

    @Test
    void theLifetimeDefaultsToFiveMinutesAndARequestedOneIsCappedByConfiguration() {
        BrokerApi.Response shorter = request(Map.of("audience", List.of("a"), "ttl_seconds", 60));
        assertEquals(200, shorter.status(), shorter.raw());
        JsonNode claims = part(shorter.body().path("token").asText(), 1);
        assertEquals(60, claims.path("exp").asLong() - claims.path("iat").asLong());
        assertEquals("a", claims.path("aud").get(0).asText(), "aud is always an array");

        BrokerApi.Response tooLong = request(Map.of("audience", List.of("a"), "ttl_seconds", 3601));
        assertEquals(400, tooLong.status(), tooLong.raw());
        assertEquals("invalid_jwt_svid_request", tooLong.problemType());
    }

    @Test
    void badRequestBodiesAreRefusedEachWithItsProblemTypeAndOnlyAFailureEvent() {
        String longAud = "x".repeat(256);
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("aud" + i);
        }
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("audience", List.of()), "invalid_jwt_svid_request");
        cases.put(Map.of("audience", eleven), "invalid_jwt_svid_request");
        cases.put(Map.of("audience", List.of("")), "invalid_jwt_svid_request");
        cases.put(Map.of("audience", List.of(" a")), "invalid_jwt_svid_request");
        cases.put(Map.of("audience", List.of(longAud)), "invalid_jwt_svid_request");
        cases.put(Map.of("audience", List.of("a"), "ttl_seconds", 0), "invalid_jwt_svid_request");
        cases.put(Map.of(), "invalid_jwt_svid_request");
        cases.put(Map.of("audience", "a"), "malformed_json");
        cases.put(Map.of("audience", List.of(1)), "malformed_json");
        cases.put(Map.of("audience", List.of("a"), "sub", "spiffe://evil/x"), "malformed_json");
        cases.put("{\"audience\": [", "malformed_json");
        long successes = events("success");
        cases.forEach((body, type) -> {
            long failures = events("failure");
            BrokerApi.Response r = request(body);
            assertEquals(400, r.status(), body + " -> " + r.raw());
            assertEquals(type, r.problemType(), body.toString());
            assertEquals(failures + 1, events("failure"), body.toString());
        });
        assertEquals(successes, events("success"));
    }

    @Test
    void withoutTheBoundCertificateForAnotherAgentOrForARevokedOneTheRequestIsRefused() {
        EnrolledAgent other = EnrolledAgent.enroll(fixtures, "acme");
        Map<String, List<String>> body = Map.of("audience", List.of("a"));

        BrokerApi.Response noCertificate = request(api, agent, agent.path(), body);
        assertEquals(401, noCertificate.status(), noCertificate.raw());
        assertEquals("client_certificate_required", noCertificate.problemType());

        BrokerApi.Response wrongAgent = request(client, other, other.path(), body);
        assertEquals(403, wrongAgent.status(), wrongAgent.raw());
        assertEquals("client_certificate_agent_mismatch", wrongAgent.problemType());

        BrokerApi.Response wrongSecret = request(client, agent.withSecret("ibas_wrong"), agent.path(), body);
        assertEquals(401, wrongSecret.status(), wrongSecret.raw());
        assertEquals("invalid_agent_credentials", wrongSecret.problemType());

        BrokerApi.Response revoked = api.post("/api/v1/tenants/acme/agents/" + other.agentId() + "/revoke", null,
                vault.adminToken("acme"));
        assertEquals(200, revoked.status(), revoked.raw());
        BrokerApi.Response afterRevoke = request(other.mtls(broker, vault), other, other.path(), body);
        assertEquals(401, afterRevoke.status(), afterRevoke.raw());
        assertEquals("client_certificate_revoked", afterRevoke.problemType());

        long refusals = broker.count("SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued' AND outcome = 'failure'"
                + " AND details LIKE '%client_certificate_%'");
        assertTrue(refusals >= 3, "each refusal is audited: " + refusals);
    }

    @Test
    void aJwtSvidIsNeverAnAccessTokenNorAnAccessTokenAJwtSvid() throws Exception {
        String jwtSvid = request(Map.of("audience", List.of("https://localhost:8443"))).body().path("token").asText();
        BrokerApi.Response tokenResponse = client.postForm("/oauth2/token",
                "grant_type=client_credentials&client_id=" + agent.agentId(), null);
        assertEquals(200, tokenResponse.status(), tokenResponse.raw());
        String accessToken = tokenResponse.body().path("access_token").asText();
        String bundle = bundleJson();
        String jwks = api.get("/oauth2/jwks", null).raw();

        // The JWT-SVID as an access token: introspection says inactive; the shipped verifier refuses it,
        // with the access-token keys and even when handed the JWT-SVID keys.
        BrokerApi.Response introspected = api.postForm("/oauth2/introspect",
                "token=" + URLEncoder.encode(jwtSvid, StandardCharsets.UTF_8), vault.platformAdminToken());
        assertEquals(200, introspected.status(), introspected.raw());
        assertFalse(introspected.body().path("active").asBoolean(true), introspected.raw());
        for (var keys : List.of(Jwks.parse(jwks), JwtSvidVerifier.bundleKeys(bundle))) {
            CertificateBoundTokenVerifier verifier = CertificateBoundTokenVerifier.builder(keys)
                    .issuer(broker.context().getProperty("broker.oauth.issuer", String.class).orElseThrow())
                    .anyAudience().build();
            assertThrows(InvalidAccessTokenException.class, () -> verifier.verify(jwtSvid, agent.certificate()));
        }
        assertFalse(verifiesWithBundle(jwtSvid, "{\"keys\":" + JSON.readTree(jwks).path("keys").toString()
                .replace("\"use\":\"sig\"", "\"use\":\"jwt-svid\"") + "}"), "no access-token key verifies a JWT-SVID");

        // The access token as a JWT-SVID: no bundle key verifies it, and the JWT-SVID verifier refuses it
        // by type even when given the access-token keys.
        assertFalse(verifiesWithBundle(accessToken, bundle), "no jwt-svid key verifies an access token");
        InvalidJwtSvidException withBundle = assertThrows(InvalidJwtSvidException.class, () -> new JwtSvidVerifier(
                JwtSvidVerifier.bundleKeys(bundle), vault.trustDomain(), "https://localhost:8443", Clock.systemUTC()).verify(accessToken));
        assertEquals("wrong_type", withBundle.reason());
        InvalidJwtSvidException withJwks = assertThrows(InvalidJwtSvidException.class, () -> new JwtSvidVerifier(
                Jwks.parse(jwks), vault.trustDomain(), "https://localhost:8443", Clock.systemUTC()).verify(accessToken));
        assertEquals("wrong_type", withJwks.reason());
    }
}
