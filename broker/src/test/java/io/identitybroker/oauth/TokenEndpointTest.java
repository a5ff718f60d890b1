package io.identitybroker.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /oauth2/token} (client_credentials, RFC 8705 tls_client_auth) and introspection by
 * agents over mTLS, against the real Vault and the broker over real TLS.
 */
class TokenEndpointTest extends BrokerTest {
    private static final String ISSUER = "https://broker.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED = "oauth.client_authentication.failed";

    private EnrolledAgent agentA;
    private EnrolledAgent agentB;
    private BrokerApi clientA;

    @Override
    protected Map<String, Object> databaseProperties() {
        return Map.of("broker.oauth.issuer", ISSUER);
    }

    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    @BeforeAll
    void enrollAgents() {
        agentA = EnrolledAgent.enroll(fixtures, "acme", List.of("orders.read", "orders.write"));
        agentB = EnrolledAgent.enroll(fixtures, "acme");
        clientA = agentA.mtls(broker, vault);
    }

    private static JsonNode part(String jwt, int i) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
    }

    private static void assertOAuthError(BrokerApi.Response r, int status, String error) {
        assertEquals(status, r.status(), r.raw());
        assertEquals(error, r.body().path("error").asText(), r.raw());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        assertEquals("no-store", r.header("Cache-Control"));
    }

    /** The reasons of the failure events written since {@code afterSeqOf} was counted. */
    private List<Map<String, Object>> failures() {
        return broker.query("SELECT tenant, subject, details FROM audit_events WHERE type = ? ORDER BY at, seq", FAILED);
    }

    private Map<String, Object> lastFailure() {
        List<Map<String, Object>> all = failures();
        return all.get(all.size() - 1);
    }

    private static String reasonOf(Map<String, Object> event) throws Exception {
        return JSON.readTree(String.valueOf(event.get("details"))).path("reason").asText();
    }

    @Test
    void issuesACertificateBoundJwtWithTheClaimsOfRfc9068() throws Exception {
        MeterRegistry metrics = broker.context().getBean(MeterRegistry.class);
        double issuedBefore = metrics.counter("broker.oauth.tokens.issued", "tenant", "acme").count();
        long eventsBefore = broker.count("SELECT COUNT(*) FROM audit_events");

        BrokerApi.Response r = TokenRequests.post(clientA, TokenRequests.form(agentA, ""));
        assertEquals(200, r.status(), r.raw());
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("Bearer", r.body().path("token_type").asText());
        assertEquals(600, r.body().path("expires_in").asLong());
        assertEquals("orders.read orders.write", r.body().path("scope").asText(), "no scope requested: all the agent's scopes");
        String jwt = r.body().path("access_token").asText();

        JsonNode header = part(jwt, 0);
        assertEquals("at+jwt", header.path("typ").asText());
        assertEquals("ES256", header.path("alg").asText());
        assertTrue(header.path("kid").asText().startsWith("identity-broker-jwt-v"));
        JsonNode claims = part(jwt, 1);
        assertEquals(ISSUER, claims.path("iss").asText());
        assertEquals(agentA.spiffeId(), claims.path("sub").asText());
        assertEquals(agentA.agentId(), claims.path("client_id").asText());
        assertEquals("acme", claims.path("tenant").asText());
        assertEquals("orders.read orders.write", claims.path("scope").asText());
        assertEquals(ISSUER, claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText());
        assertEquals(600, claims.path("exp").asLong() - claims.path("iat").asLong());
        assertTrue(Math.abs(claims.path("iat").asLong() - Instant.now().getEpochSecond()) < 30);
        UUID.fromString(claims.path("jti").asText());
        assertEquals(agentA.x5t(), claims.path("cnf").path("x5t#S256").asText());

        Jwks jwks = Jwks.parse(api.get("/oauth2/jwks", null).raw());
        CertificateBoundTokenVerifier.builder(jwks).issuer(ISSUER).audience(ISSUER).build().verify(jwt, agentA.certificate());

        // counted in metrics, not audited
        assertEquals(1, metrics.counter("broker.oauth.tokens.issued", "tenant", "acme").count() - issuedBefore);
        assertEquals(eventsBefore, broker.count("SELECT COUNT(*) FROM audit_events"));
    }

    @Test
    void scopeMustBeWithinTheAgentsScopes() throws Exception {
        BrokerApi.Response subset = TokenRequests.post(clientA, TokenRequests.form(agentA, TokenRequests.scope("orders.write")));
        assertEquals(200, subset.status(), subset.raw());
        assertEquals("orders.write", subset.body().path("scope").asText());
        assertEquals("orders.write", part(subset.body().path("access_token").asText(), 1).path("scope").asText());

        assertOAuthError(TokenRequests.post(clientA, TokenRequests.form(agentA, TokenRequests.scope("orders.read admin"))),
                400, "invalid_scope");
        assertOAuthError(TokenRequests.post(clientA, TokenRequests.form(agentA, TokenRequests.scope("orders.read  orders.write"))),
                400, "invalid_scope");
        BrokerApi clientB = agentB.mtls(broker, vault);
        assertOAuthError(TokenRequests.post(clientB, TokenRequests.form(agentB, TokenRequests.scope("orders.write"))),
                400, "invalid_scope");
    }

    @Test
    void onlyClientCredentialsIsSupported() {
        assertOAuthError(TokenRequests.post(clientA, "grant_type=password&client_id=" + agentA.agentId() + "&username=a&password=b"),
                400, "unsupported_grant_type");
        assertOAuthError(TokenRequests.post(clientA, "grant_type=authorization_code&client_id=" + agentA.agentId() + "&code=x"),
                400, "unsupported_grant_type");
        assertOAuthError(TokenRequests.post(clientA, "client_id=" + agentA.agentId()), 400, "invalid_request");
        assertOAuthError(TokenRequests.post(clientA, "grant_type=client_credentials"), 400, "invalid_request");
        assertOAuthError(TokenRequests.post(clientA, TokenRequests.form(agentA, "&grant_type=client_credentials")),
                400, "invalid_request");
    }

    @Test
    void withoutAClientCertificateTheClientIsInvalidAndTheFailureAudited() throws Exception {
        BrokerApi.Response r = TokenRequests.post(api, TokenRequests.form(agentA, ""));
        assertOAuthError(r, 401, "invalid_client");
        Map<String, Object> event = lastFailure();
        assertEquals("client_certificate_required", reasonOf(event));
        assertEquals("acme", event.get("tenant"));
        assertEquals(agentA.agentId(), event.get("subject"));
    }

    @Test
    void aCertificateWhoseSpiffeIdIsNotTheClientsIsAnInvalidClient() throws Exception {
        // agent B's valid, bound certificate, claiming to be client A
        BrokerApi.Response r = TokenRequests.post(agentB.mtls(broker, vault), TokenRequests.form(agentA, ""));
        assertOAuthError(r, 401, "invalid_client");
        Map<String, Object> event = lastFailure();
        assertEquals("client_certificate_agent_mismatch", reasonOf(event));
        assertEquals(agentA.agentId(), event.get("subject"));
        assertTrue(String.valueOf(event.get("details")).contains(agentB.x5t()), "the presented certificate is named");
    }

    @Test
    void anUnknownClientIdIsAnInvalidClient() throws Exception {
        String unknown = UUID.randomUUID().toString();
        BrokerApi.Response r = TokenRequests.post(clientA, "grant_type=client_credentials&client_id=" + unknown);
        assertOAuthError(r, 401, "invalid_client");
        Map<String, Object> event = lastFailure();
        assertEquals(null, event.get("tenant"));
        assertEquals(null, event.get("subject"), "an unknown client id is not written to the audit trail");
        assertFalse(String.valueOf(event.get("details")).contains(unknown));

        String garbage = URLEncoder.encode("../../admin\"}", StandardCharsets.UTF_8);
        assertOAuthError(TokenRequests.post(clientA, "grant_type=client_credentials&client_id=" + garbage), 401, "invalid_client");
        assertEquals(null, lastFailure().get("subject"));
    }

    @Test
    void aSecondClientAuthenticationMethodIsRefused() throws Exception {
        Map<String, String> basic = EnrolledAgent.basic(agentA.agentId(), agentA.secret());
        BrokerApi.Response withHeader = clientA.send("POST", "/oauth2/token", TokenRequests.form(agentA, ""), null,
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", basic.get("Authorization")));
        assertOAuthError(withHeader, 400, "invalid_request");
        assertEquals("multiple_client_authentication_methods", reasonOf(lastFailure()));

        BrokerApi.Response withSecret = TokenRequests.post(clientA,
                TokenRequests.form(agentA, "&client_secret=" + URLEncoder.encode(agentA.secret(), StandardCharsets.UTF_8)));
        assertOAuthError(withSecret, 400, "invalid_request");

        // the other method alone (no certificate) is not supported at all
        BrokerApi.Response secretOnly = api.send("POST", "/oauth2/token", TokenRequests.form(agentA, ""), null,
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", basic.get("Authorization")));
        assertOAuthError(secretOnly, 401, "invalid_client");
        assertEquals("unsupported_client_authentication_method", reasonOf(lastFailure()));

        String trail = failures().toString();
        assertFalse(trail.contains(agentA.secret()), "secrets never reach the audit trail");
    }

    @Test
    void failureEventsNeverCarryTokensOrSecrets() {
        String token = TokenRequests.issue(clientA, agentA);
        TokenRequests.post(api, TokenRequests.form(agentA, "&client_secret=" + agentA.secret()));
        api.postForm("/oauth2/introspect", "token=" + token, "hvs.bogus-token");
        String trail = broker.query("SELECT * FROM audit_events").toString();
        assertFalse(trail.contains(token) || trail.contains(agentA.secret()) || trail.contains("hvs.bogus-token"));
    }

    @Test
    void anAgentMayIntrospectTokensOfItsOwnTenantOnly() {
        String tokenA = TokenRequests.issue(clientA, agentA);
        EnrolledAgent globexAgent = EnrolledAgent.enroll(fixtures, "globex");
        BrokerApi globexClient = globexAgent.mtls(broker, vault);
        String globexToken = TokenRequests.issue(globexClient, globexAgent);
        BrokerApi clientB = agentB.mtls(broker, vault);

        // agent B (acme) introspects agent A's token (acme): active, with the claims
        BrokerApi.Response same = clientB.postForm("/oauth2/introspect",
                "client_id=" + agentB.agentId() + "&token=" + tokenA, null);
        assertEquals(200, same.status(), same.raw());
        assertEquals("no-store", same.header("Cache-Control"));
        assertTrue(same.body().path("active").asBoolean(), same.raw());
        assertEquals(agentA.spiffeId(), same.body().path("sub").asText());
        assertEquals(agentA.x5t(), same.body().path("cnf").path("x5t#S256").asText());

        // another tenant's valid token is inactive for it, and tells nothing more
        BrokerApi.Response other = clientB.postForm("/oauth2/introspect",
                "client_id=" + agentB.agentId() + "&token=" + globexToken, null);
        assertEquals(200, other.status(), other.raw());
        assertEquals("{\"active\":false}", other.raw());
        // ... while for its own tenant's agent it is active
        BrokerApi.Response own = globexClient.postForm("/oauth2/introspect",
                "client_id=" + globexAgent.agentId() + "&token=" + globexToken, null);
        assertTrue(own.body().path("active").asBoolean(), own.raw());
    }

    @Test
    void introspectionByMtlsRunsTheSameClientChecks() throws Exception {
        String tokenA = TokenRequests.issue(clientA, agentA);
        // B's certificate claiming to be A
        BrokerApi.Response impostor = agentB.mtls(broker, vault).postForm("/oauth2/introspect",
                "client_id=" + agentA.agentId() + "&token=" + tokenA, null);
        assertOAuthError(impostor, 401, "invalid_client");
        assertEquals("client_certificate_agent_mismatch", reasonOf(lastFailure()));
        // no certificate at all
        assertOAuthError(api.postForm("/oauth2/introspect", "client_id=" + agentA.agentId() + "&token=" + tokenA, null),
                401, "invalid_client");
        assertEquals("client_certificate_required", reasonOf(lastFailure()));
        // a Vault token and tls_client_auth together
        assertOAuthError(clientA.postForm("/oauth2/introspect", "client_id=" + agentA.agentId() + "&token=" + tokenA,
                vault.platformAdminToken()), 400, "invalid_request");
    }
}
