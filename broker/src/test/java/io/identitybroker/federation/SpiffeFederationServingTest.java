package io.identitybroker.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.MtlsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Federation, serving: a second broker ("B") declares this broker's trust domain with this
 * broker's own bundle endpoint ({@code GET /spiffe/bundles/{trust_domain}}, https_web, verified
 * against the TLS root) and accepts this broker's agents as external clients, with their
 * broker-issued X.509-SVIDs (spiffe_x509) and JWT-SVIDs (spiffe_jwt). Both brokers share the test
 * Vault, so both have the same trust domain name; each has its own database.
 */
class SpiffeFederationServingTest extends BrokerTest {
    private static final String ISSUER_B = "https://broker-b.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokerInstance brokerB;
    private BrokerApi apiB;
    private EnrolledAgent agent;
    private String exactClient;
    private String patternClient;

    @BeforeAll
    void federateBrokerBWithThisOne() throws Exception {
        agent = EnrolledAgent.enroll(fixtures, "acme", List.of("orders.read"));
        brokerB = BrokerInstance.start(vault, Map.of("broker.oauth.issuer", ISSUER_B));
        apiB = brokerB.api();
        new Fixtures(apiB, vault).tenant("globex");
        String td = vault.trustDomain();
        BrokerApi.Response declared = apiB.post("/api/v1/trust-domains", Map.of("name", td,
                "bundle_endpoint_url", api.baseUrl() + "/spiffe/bundles/" + td,
                "endpoint_ca", Files.readString(Path.of(vault.env("IB_ROOT_CA_FILE")))), vault.platformAdminToken());
        assertEquals(201, declared.status(), declared.raw());
        assertFalse(declared.body().path("bundle_stale").asBoolean(), "B fetched A's bundle: " + declared.raw());
        assertTrue(declared.body().path("x509_authorities").asInt() >= 1, declared.raw());
        assertTrue(declared.body().path("jwt_authorities").asInt() >= 1, declared.raw());
        exactClient = register(agent.spiffeId());
        patternClient = register("spiffe://" + td + "/tenant/acme/agent/*");
    }

    @AfterAll
    void stopBrokerB() {
        if (brokerB != null) {
            brokerB.close();
        }
    }

    private String register(String spiffeId) {
        BrokerApi.Response r = apiB.post("/api/v1/tenants/globex/external-clients",
                Map.of("spiffe_id", spiffeId, "scopes", List.of("inventory.read")), vault.adminToken("globex"));
        assertEquals(201, r.status(), r.raw());
        return r.body().path("client_id").asText();
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void anAgentOfThisBrokerGetsACertificateBoundTokenFromTheOtherWithItsSvid() throws Exception {
        BrokerApi toB = MtlsClient.of(brokerB, vault, agent.chain(), agent.keys().getPrivate());
        for (String client : List.of(exactClient, patternClient)) {
            BrokerApi.Response r = toB.postForm("/oauth2/token", "grant_type=client_credentials&client_id=" + client, null);
            assertEquals(200, r.status(), r.raw());
            assertTrue(r.body().path("certificate_bound").asBoolean());
            JsonNode claims = claims(r.body().path("access_token").asText());
            assertEquals(ISSUER_B, claims.path("iss").asText());
            assertEquals(agent.spiffeId(), claims.path("sub").asText());
            assertEquals("globex", claims.path("tenant").asText());
            assertEquals(Thumbprints.x5tS256(agent.certificate()), claims.path("cnf").path("x5t#S256").asText());
        }
    }

    @Test
    void aJwtSvidThisBrokerIssuedForTheOtherIsAcceptedThere() throws Exception {
        BrokerApi.Response svid = agent.mtls(broker, vault).send("POST", agent.path() + "/jwt-svids",
                Map.of("audience", List.of(ISSUER_B)), null, agent.basic());
        assertEquals(200, svid.status(), svid.raw());
        String form = "grant_type=client_credentials&client_id=" + exactClient
                + "&client_assertion_type=" + URLEncoder.encode(SpiffeFederationTest.JWT_TYPE, StandardCharsets.UTF_8)
                + "&client_assertion=" + svid.body().path("token").asText();
        BrokerApi.Response r = apiB.postForm("/oauth2/token", form, null);
        assertEquals(200, r.status(), r.raw());
        assertFalse(r.body().path("certificate_bound").asBoolean(true));
        assertEquals(agent.spiffeId(), claims(r.body().path("access_token").asText()).path("sub").asText());
        assertEquals(401, apiB.postForm("/oauth2/token", form, null).status(), "single use");

        // an SVID for this broker's own audience is not accepted by the other one
        BrokerApi.Response forA = agent.mtls(broker, vault).send("POST", agent.path() + "/jwt-svids",
                Map.of("audience", List.of("https://localhost:8443")), null, agent.basic());
        assertEquals(401, apiB.postForm("/oauth2/token", "grant_type=client_credentials&client_id=" + exactClient
                + "&client_assertion_type=" + URLEncoder.encode(SpiffeFederationTest.JWT_TYPE, StandardCharsets.UTF_8)
                + "&client_assertion=" + forA.body().path("token").asText(), null).status());
    }
}
