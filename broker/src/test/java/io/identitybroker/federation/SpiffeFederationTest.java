package io.identitybroker.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.oauth.CertificateBoundTokenVerifier;
import io.identitybroker.oauth.Jwks;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.MtlsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPIFFE federation against a real foreign trust domain (the go-spiffe peer: its own CA and JWT
 * key, its bundle served by {@code federation.NewHandler} over https_web): a platform admin declares
 * it, a tenant admin registers external clients, and agents of that domain get tokens with
 * spiffe_x509 and spiffe_jwt from the real token endpoint over real TLS.
 */
class SpiffeFederationTest extends BrokerTest {
    static final String ISSUER = "https://broker.test";
    static final String JWT_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BUNDLE_AGE = Duration.ofSeconds(8);

    private SpiffePeer peer;
    private String workload;
    private String clientId;

    @Override
    protected Map<String, Object> databaseProperties() {
        return Map.of("broker.oauth.issuer", ISSUER, "broker.federation.min-refresh-interval", "1s",
                "broker.federation.retry-interval", "1s", "broker.federation.max-bundle-age", MAX_BUNDLE_AGE.toSeconds() + "s");
    }

    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    @BeforeAll
    void federate() {
        peer = SpiffePeer.start("peer.example", Duration.ofSeconds(1));
        BrokerApi.Response declared = api.post("/api/v1/trust-domains", Map.of("name", peer.trustDomain(),
                "bundle_endpoint_url", peer.bundleUrl(), "endpoint_ca", peer.serverPem()), vault.platformAdminToken());
        assertEquals(201, declared.status(), declared.raw());
        workload = peer.id("ns/prod/sa/billing");
        clientId = register("acme", workload, List.of("orders.read", "orders.write")).path("client_id").asText();
    }

    @AfterAll
    void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    private JsonNode register(String tenant, String spiffeId, List<String> scopes) {
        BrokerApi.Response r = api.post("/api/v1/tenants/" + tenant + "/external-clients",
                Map.of("spiffe_id", spiffeId, "name", "billing", "scopes", scopes, "labels", Map.of("platform", "spire")),
                vault.adminToken(tenant));
        assertEquals(201, r.status(), r.raw());
        return r.body();
    }

    private BrokerApi mtls(SpiffePeer.X509Svid svid) {
        return MtlsClient.of(broker, vault, svid.chain(), svid.key());
    }

    private static BrokerApi.Response token(BrokerApi client, String form) {
        return client.postForm("/oauth2/token", "grant_type=client_credentials&" + form, null);
    }

    private static String jwtForm(String clientId, String assertion) {
        return "client_id=" + clientId + "&client_assertion_type=" + enc(JWT_TYPE) + "&client_assertion=" + assertion;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private JsonNode introspect(String token) {
        BrokerApi.Response r = api.postForm("/oauth2/introspect", "token=" + token, vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    private String lastFailureReason() throws Exception {
        List<Map<String, Object>> all = broker.query(
                "SELECT details FROM audit_events WHERE type = 'oauth.client_authentication.failed' ORDER BY at, seq");
        return JSON.readTree(String.valueOf(all.get(all.size() - 1).get("details"))).path("reason").asText();
    }

    /** An invalid_client answer that tells nothing, with the reason only in the audit event. */
    private void assertRefused(BrokerApi.Response r, String reason) throws Exception {
        assertEquals(401, r.status(), r.raw());
        assertEquals("invalid_client", r.body().path("error").asText(), r.raw());
        assertFalse(r.raw().contains(reason), "the reason is not shown to the client: " + r.raw());
        assertEquals(reason, lastFailureReason());
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void theMetadataListsTheSpiffeClientAuthenticationMethods() {
        JsonNode m = api.get("/.well-known/oauth-authorization-server", null).body();
        assertEquals(List.of("tls_client_auth", "spiffe_x509", "spiffe_jwt"),
                JSON.convertValue(m.path("token_endpoint_auth_methods_supported"), List.class));
    }

    @Test
    void theDeclaredTrustDomainShowsItsFetchedBundle() {
        BrokerApi.Response r = api.get("/api/v1/trust-domains/" + peer.trustDomain(), vault.platformAdminToken());
        assertEquals(200, r.status(), r.raw());
        assertEquals("https_web", r.body().path("profile").asText());
        assertEquals(1, r.body().path("x509_authorities").asInt(), r.raw());
        assertEquals(1, r.body().path("jwt_authorities").asInt(), r.raw());
        assertTrue(r.body().path("bundle_sequence").asLong() >= 1, r.raw());
        assertFalse(r.body().path("bundle_stale").asBoolean(), r.raw());
        assertEquals(1, broker.count("SELECT COUNT(*) FROM audit_events WHERE type = 'federation.trust_domain.declared'"
                + " AND subject = ? AND tenant IS NULL", peer.trustDomain()));

        // a tenant admin may not declare trust domains; bad declarations are refused with their own problem type
        assertEquals(403, api.post("/api/v1/trust-domains", Map.of("name", "x.example", "bundle_endpoint_url", "https://x.example/b"),
                vault.adminToken("acme")).status());
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("name", "Bad Name", "bundle_endpoint_url", "https://x.example/b"),
                Map.of("name", "x.example", "bundle_endpoint_url", "http://x.example/b"),
                Map.of("name", "x.example", "bundle_endpoint_url", "https://user@x.example/b"),
                Map.of("name", "x.example", "profile", "https_spiffe", "bundle_endpoint_url", "https://x.example/b"),
                Map.of("name", "x.example", "profile", "gopher", "bundle_endpoint_url", "https://x.example/b"),
                Map.of("name", "x.example", "bundle", Map.of("keys", List.of(Map.of("use", "x509-svid", "kty", "EC")))),
                Map.of("name", "x.example", "bundle_endpoint_url", "https://x.example/b", "endpoint_ca", "not pem"))) {
            BrokerApi.Response refused = api.post("/api/v1/trust-domains", bad, vault.platformAdminToken());
            assertEquals(400, refused.status(), bad + " -> " + refused.raw());
            assertEquals("invalid_trust_domain", refused.problemType());
        }
        assertEquals(409, api.post("/api/v1/trust-domains", Map.of("name", peer.trustDomain(),
                "bundle_endpoint_url", peer.bundleUrl()), vault.platformAdminToken()).status());
        assertEquals(409, api.send("DELETE", "/api/v1/trust-domains/" + peer.trustDomain(), null, vault.platformAdminToken(),
                Map.of()).status(), "a trust domain external clients name cannot be removed");
    }

    @Test
    void spiffeX509IssuesATokenBoundToThePresentedSvid() throws Exception {
        SpiffePeer.X509Svid svid = peer.x509(workload, "10m");
        BrokerApi.Response r = token(mtls(svid), "client_id=" + clientId + "&scope=orders.read");
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.body().path("certificate_bound").asBoolean(), r.raw());
        String jwt = r.body().path("access_token").asText();
        JsonNode claims = claims(jwt);
        assertEquals(workload, claims.path("sub").asText());
        assertEquals(clientId, claims.path("client_id").asText());
        assertEquals("acme", claims.path("tenant").asText());
        assertEquals("orders.read", claims.path("scope").asText());
        assertEquals(Thumbprints.x5tS256(svid.chain().get(0)), claims.path("cnf").path("x5t#S256").asText());

        // a resource server verifies it against the presented SVID, with the broker's published keys
        Jwks jwks = Jwks.parse(api.get("/oauth2/jwks", null).raw());
        CertificateBoundTokenVerifier.builder(jwks).issuer(ISSUER).audience(ISSUER).build().verify(jwt, svid.chain().get(0));
        JsonNode active = introspect(jwt);
        assertTrue(active.path("active").asBoolean(), active.toString());
        assertEquals(workload, active.path("sub").asText());

        // a scope outside the registration is refused
        BrokerApi.Response tooMuch = token(mtls(svid), "client_id=" + clientId + "&scope=admin");
        assertEquals(400, tooMuch.status(), tooMuch.raw());
        assertEquals("invalid_scope", tooMuch.body().path("error").asText());
    }

    @Test
    void spiffeJwtIssuesAnUnboundTokenOnceAndRefusesTheReplay() throws Exception {
        String jti = UUID.randomUUID().toString();
        String assertion = peer.jwt(workload, ISSUER, "5m", jti);
        BrokerApi.Response r = token(api, jwtForm(clientId, assertion));
        assertEquals(200, r.status(), r.raw());
        assertFalse(r.body().path("certificate_bound").asBoolean(true), "the response says the token is not bound: " + r.raw());
        String jwt = r.body().path("access_token").asText();
        JsonNode claims = claims(jwt);
        assertEquals(workload, claims.path("sub").asText());
        assertTrue(claims.path("cnf").isMissingNode(), "no cnf without mTLS");
        JsonNode active = introspect(jwt);
        assertTrue(active.path("active").asBoolean(), active.toString());
        assertTrue(active.path("cnf").isMissingNode());

        assertRefused(token(api, jwtForm(clientId, assertion)), "replayed_assertion");
        // without jti, the assertion itself is single use
        String noJti = peer.jwt(workload, ISSUER + "/oauth2/token", "5m", null);
        assertEquals(200, token(api, jwtForm(clientId, noJti)).status(), "the token endpoint is an accepted audience too");
        assertRefused(token(api, jwtForm(clientId, noJti)), "replayed_assertion");
        // remembered by hash only, until it expires
        assertTrue(broker.count("SELECT COUNT(*) FROM used_client_assertions WHERE expires_at > CURRENT_TIMESTAMP") >= 2);
        assertEquals(0, broker.count("SELECT COUNT(*) FROM used_client_assertions WHERE assertion_hash LIKE ?", "%" + jti + "%"));
    }

    @Test
    void spiffeJwtOverMtlsWithAnSvidOfTheSameIdIsBound() throws Exception {
        SpiffePeer.X509Svid svid = peer.x509(workload, "10m");
        String assertion = peer.jwt(workload, ISSUER, "5m", UUID.randomUUID().toString());
        BrokerApi.Response r = token(mtls(svid), jwtForm(clientId, assertion));
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.body().path("certificate_bound").asBoolean(), r.raw());
        assertEquals(Thumbprints.x5tS256(svid.chain().get(0)),
                claims(r.body().path("access_token").asText()).path("cnf").path("x5t#S256").asText());

        SpiffePeer.X509Svid other = peer.x509(peer.id("ns/prod/sa/other"), "10m");
        String second = peer.jwt(workload, ISSUER, "5m", UUID.randomUUID().toString());
        assertRefused(token(mtls(other), jwtForm(clientId, second)), "wrong_spiffe_id");
    }

    @Test
    void everyRefusalIsInvalidClientWithItsReasonOnlyInTheAuditTrail() throws Exception {
        String jti = UUID.randomUUID().toString();
        Map<String, Supplier<BrokerApi.Response>> cases = new LinkedHashMap<>();
        cases.put("unknown_trust_domain", () -> token(api, jwtForm(clientId,
                peer.jwt("spiffe://undeclared.example/ns/prod/sa/billing", ISSUER, "5m", null))));
        cases.put("wrong_spiffe_id", () -> token(mtls(peer.x509(peer.id("ns/prod/sa/intruder"), "10m")), "client_id=" + clientId));
        cases.put("expired_svid", () -> token(mtls(peer.x509(workload, "-1m")), "client_id=" + clientId));
        cases.put("wrong_audience", () -> token(api, jwtForm(clientId, peer.jwt(workload, "https://elsewhere.example", "5m", null))));
        cases.put("algorithm_not_allowed", () -> token(api, jwtForm(clientId, unsigned(workload, "none", ""))));
        cases.put("svid_untrusted", () -> token(mtls(selfIssued(workload)), "client_id=" + clientId));
        cases.put("invalid_signature", () -> token(api, jwtForm(clientId, tampered(peer.jwt(workload, ISSUER, "5m", jti)))));
        for (var c : cases.entrySet()) {
            assertRefused(c.getValue().get(), c.getKey());
        }
        assertRefused(token(api, jwtForm(clientId, unsigned(workload, "HS256", "c2lnbmF0dXJl"))), "algorithm_not_allowed");
        assertRefused(token(api, jwtForm(clientId, peer.jwt(workload, ISSUER, "-2m", null))), "expired_svid");
        // the tampered assertion's jti was not consumed: the genuine one still works
        assertEquals(200, token(api, jwtForm(clientId, peer.jwt(workload, ISSUER, "5m", jti))).status());
        // an external client id nobody registered
        assertRefused(token(api, jwtForm("xc-" + UUID.randomUUID(), peer.jwt(workload, ISSUER, "5m", null))), "unknown_client");
    }

    @Test
    void whenTheBundleEndpointFailsTheLastGoodBundleIsKeptUntilItIsStale() throws Exception {
        MeterRegistry metrics = broker.context().getBean(MeterRegistry.class);
        SpiffePeer.X509Svid svid = peer.x509(workload, "10m");
        peer.failing(true);
        try {
            await("a failed refresh", () -> "http_status".equals(api.get("/api/v1/trust-domains/" + peer.trustDomain(),
                    vault.platformAdminToken()).body().path("last_error").asText()));
            assertTrue(metrics.find("broker.federation.bundle.refresh.failures").tag("trust_domain", peer.trustDomain())
                    .counter().count() >= 1);
            assertEquals(200, token(mtls(svid), "client_id=" + clientId).status(), "the last good bundle still serves");

            await("the bundle to go stale", () -> metrics.find("broker.federation.bundle.age.seconds")
                    .tag("trust_domain", peer.trustDomain()).gauge().value() > MAX_BUNDLE_AGE.toSeconds() + 0.5);
            assertRefused(token(mtls(svid), "client_id=" + clientId), "bundle_stale");
            assertTrue(api.get("/api/v1/trust-domains/" + peer.trustDomain(), vault.platformAdminToken()).body()
                    .path("bundle_stale").asBoolean());
        } finally {
            peer.failing(false);
        }
        BrokerApi.Response refreshed = api.post("/api/v1/trust-domains/" + peer.trustDomain() + "/refresh", null,
                vault.platformAdminToken());
        assertEquals(200, refreshed.status(), refreshed.raw());
        assertFalse(refreshed.body().path("bundle_stale").asBoolean(), refreshed.raw());
        assertEquals(200, token(mtls(svid), "client_id=" + clientId).status());
        assertTrue(metrics.find("broker.federation.bundle.age.seconds").tag("trust_domain", peer.trustDomain())
                .gauge().value() < MAX_BUNDLE_AGE.toSeconds());
    }

    @Test
    void aRotatedJwtKeyIsPickedUpAtTheNextRefresh() throws Exception {
        peer.rotateJwtKey();
        String assertion = peer.jwt(workload, ISSUER, "5m", UUID.randomUUID().toString());
        Instant deadline = Instant.now().plusSeconds(60);
        BrokerApi.Response r;
        do {
            Thread.sleep(500);
            r = token(api, jwtForm(clientId, peer.jwt(workload, ISSUER, "5m", UUID.randomUUID().toString())));
        } while (r.status() != 200 && Instant.now().isBefore(deadline));
        assertEquals(200, r.status(), r.raw());
        assertEquals(200, token(api, jwtForm(clientId, assertion)).status());
    }

    @Test
    void tenantAdminsManageExternalClientsWithStrictIdsAndAuditedChanges() throws Exception {
        String pattern = peer.id("ns/batch/*");
        JsonNode registered = register("globex", pattern, List.of("jobs.run"));
        String id = registered.path("client_id").asText();
        assertTrue(id.startsWith("xc-"), id);
        assertEquals(List.of("spiffe_x509", "spiffe_jwt"), JSON.convertValue(registered.path("token_endpoint_auth_methods"), List.class));

        // the pattern matches exactly one more segment
        assertEquals(200, token(mtls(peer.x509(peer.id("ns/batch/job-1"), "10m")), "client_id=" + id).status());
        assertRefused(token(mtls(peer.x509(peer.id("ns/batch/job-1/x"), "10m")), "client_id=" + id), "wrong_spiffe_id");
        assertRefused(token(mtls(peer.x509(peer.id("ns/batch"), "10m")), "client_id=" + id), "wrong_spiffe_id");

        for (String bad : List.of("spiffe://peer.example/ns/**", "spiffe://peer.example/ns/*/x", "spiffe://peer.example/ns/",
                "spiffe://Peer.example/ns", "https://peer.example/ns", "spiffe://peer.example/ns/%41")) {
            BrokerApi.Response r = api.post("/api/v1/tenants/globex/external-clients", Map.of("spiffe_id", bad),
                    vault.adminToken("globex"));
            assertEquals(400, r.status(), bad + " -> " + r.raw());
            assertEquals("invalid_external_client", r.problemType());
        }
        BrokerApi.Response undeclared = api.post("/api/v1/tenants/globex/external-clients",
                Map.of("spiffe_id", "spiffe://undeclared.example/w"), vault.adminToken("globex"));
        assertEquals(422, undeclared.status(), undeclared.raw());
        assertEquals(409, api.post("/api/v1/tenants/globex/external-clients", Map.of("spiffe_id", pattern),
                vault.adminToken("globex")).status());
        assertEquals(404, api.post("/api/v1/tenants/globex/external-clients", Map.of("spiffe_id", peer.id("w")),
                vault.adminToken("acme")).status(), "another tenant's admin sees no such tenant");

        BrokerApi.Response changed = api.send("PATCH", "/api/v1/tenants/globex/external-clients/" + id,
                Map.of("scopes", List.of("jobs.run", "jobs.read")), vault.adminToken("globex"), Map.of());
        assertEquals(200, changed.status(), changed.raw());
        assertEquals(List.of("jobs.read", "jobs.run"), JSON.convertValue(changed.body().path("scopes"), List.class));

        String issued = token(api, jwtForm(id, peer.jwt(peer.id("ns/batch/job-2"), ISSUER, "5m", null)))
                .body().path("access_token").asText();
        assertTrue(introspect(issued).path("active").asBoolean());
        assertEquals(204, api.send("DELETE", "/api/v1/tenants/globex/external-clients/" + id, null,
                vault.adminToken("globex"), Map.of()).status());
        assertFalse(introspect(issued).path("active").asBoolean(), "a removed client's tokens are inactive at once");
        assertEquals(404, api.get("/api/v1/tenants/globex/external-clients/" + id, vault.adminToken("globex")).status());

        List<Map<String, Object>> events = broker.query(
                "SELECT type FROM audit_events WHERE tenant = 'globex' AND subject = ? AND type LIKE 'external_client.%' ORDER BY seq", id);
        assertEquals(List.of("external_client.registered", "external_client.changed", "external_client.removed"),
                events.stream().map(e -> e.get("type")).toList());
    }

    @Test
    void aStaticBundleServesItsOwnTrustDomainAndBundlesNeverMix() throws Exception {
        try (SpiffePeer other = SpiffePeer.start("static.example", Duration.ofSeconds(60))) {
            Map<?, ?> bundle = JSON.readValue(java.net.http.HttpClient.newBuilder().sslContext(trusting(other.serverPem())).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(other.bundleUrl())).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body(), Map.class);
            BrokerApi.Response declared = api.post("/api/v1/trust-domains", Map.of("name", other.trustDomain(), "bundle", bundle),
                    vault.platformAdminToken());
            assertEquals(201, declared.status(), declared.raw());
            assertEquals("static", declared.body().path("profile").asText());
            String id = register("acme", other.id("ns/static/*"), List.of("orders.read")).path("client_id").asText();
            assertEquals(200, token(mtls(other.x509(other.id("ns/static/w"), "10m")), "client_id=" + id).status());
            assertEquals(200, token(api, jwtForm(id, other.jwt(other.id("ns/static/w"), ISSUER, "5m", null))).status());

            // the other peer's CA and JWT key are not in this trust domain's bundle, whatever ID they sign
            assertRefused(token(mtls(peer.x509(other.id("ns/static/w"), "10m")), "client_id=" + id), "svid_untrusted");
            assertRefused(token(api, jwtForm(id, peer.jwt(other.id("ns/static/w"), ISSUER, "5m", null))), "unknown_key");
            // and this trust domain's SVIDs do not pass for the first one's clients
            assertRefused(token(mtls(other.x509(workload.replace(peer.trustDomain(), other.trustDomain()), "10m")),
                    "client_id=" + clientId), "wrong_spiffe_id");
        }
    }

    @Test
    void anHttpsSpiffeEndpointIsAuthenticatedByItsSvidAgainstTheDomainsOwnBundle() throws Exception {
        try (SpiffePeer spire = SpiffePeer.start("spiffe-endpoint.example", Duration.ofSeconds(60), "https_spiffe")) {
            Map<?, ?> bootstrap = JSON.readValue(spire.bundleJson(), Map.class);
            String path = "/api/v1/trust-domains/" + spire.trustDomain();
            Map<String, Object> declaration = new LinkedHashMap<>(Map.of("name", spire.trustDomain(), "profile", "https_spiffe",
                    "bundle_endpoint_url", spire.bundleUrl(), "endpoint_spiffe_id", spire.id("bundle-endpoint"), "bundle", bootstrap));
            BrokerApi.Response declared = api.post("/api/v1/trust-domains", declaration, vault.platformAdminToken());
            assertEquals(201, declared.status(), declared.raw());
            assertFalse(declared.body().path("bundle_stale").asBoolean(), declared.raw());
            assertTrue(declared.body().path("bundle_sequence").asLong() > ((Number) bootstrap.get("spiffe_sequence")).longValue(),
                    "fetched from the endpoint, not just the bootstrap: " + declared.raw());
            String id = register("acme", spire.id("w"), List.of("orders.read")).path("client_id").asText();
            assertEquals(200, token(mtls(spire.x509(spire.id("w"), "10m")), "client_id=" + id).status());

            // an endpoint that does not present the configured SPIFFE ID is not believed
            declaration.put("endpoint_spiffe_id", spire.id("someone-else"));
            assertEquals(200, api.send("PUT", path, declaration, vault.platformAdminToken(), Map.of()).status());
            BrokerApi.Response refused = api.post(path + "/refresh", null, vault.platformAdminToken());
            assertTrue(refused.body().path("bundle_stale").asBoolean(), refused.raw());
            assertEquals("unreachable", refused.body().path("last_error").asText(), refused.raw());
            assertRefused(token(mtls(spire.x509(spire.id("w"), "10m")), "client_id=" + id), "bundle_unavailable");

            // nor one whose SVID is not from the domain's bundle
            declaration.put("endpoint_spiffe_id", spire.id("bundle-endpoint"));
            declaration.put("bundle", JSON.readValue(peer.bundleJson(), Map.class));
            assertEquals(200, api.send("PUT", path, declaration, vault.platformAdminToken(), Map.of()).status());
            assertTrue(api.post(path + "/refresh", null, vault.platformAdminToken()).body().path("bundle_stale").asBoolean());
            assertEquals(204, api.send("DELETE", "/api/v1/tenants/acme/external-clients/" + id, null, vault.adminToken("acme"),
                    Map.of()).status());
            assertEquals(204, api.send("DELETE", path, null, vault.platformAdminToken(), Map.of()).status());
        }
    }

    private static javax.net.ssl.SSLContext trusting(String pem) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("peer", io.identitybroker.testing.TestCertificates.parse(pem));
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A JWT-SVID-shaped token with the given algorithm and signature, never signed by the peer. */
    private static String unsigned(String sub, String alg, String signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"kid\":\"k\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        String claims = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"aud\":\"" + ISSUER + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + signature;
    }

    /** The same assertion with another subject in its claims: the signature no longer matches. */
    private String tampered(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            var claims = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            claims.put("scope", "extra");
            return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims))
                    + "." + parts[2];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SVID with the right ID from a CA the trust domain's bundle does not hold. */
    private static SpiffePeer.X509Svid selfIssued(String spiffeId) {
        try {
            var gen = java.security.KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            var caKeys = gen.generateKeyPair();
            var ca = io.identitybroker.testing.TestCertificates.ca(caKeys, "CN=rogue");
            var keys = gen.generateKeyPair();
            return new SpiffePeer.X509Svid(List.of(io.identitybroker.testing.TestCertificates.issuedBy(ca, caKeys.getPrivate(),
                    keys, spiffeId)), keys.getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
