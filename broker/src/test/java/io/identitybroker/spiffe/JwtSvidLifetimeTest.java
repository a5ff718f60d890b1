package io.identitybroker.spiffe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JWT-SVID's lifetime follows the configuration and never outlives the certificate that obtained it. */
class JwtSvidLifetimeTest extends BrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected Map<String, Object> databaseProperties() {
        return Map.of("broker.jwt-svid.ttl", "2m", "broker.jwt-svid.max-ttl", "48h", "broker.rotation.grace", "20s");
    }

    private static JsonNode claims(BrokerApi.Response r) throws Exception {
        assertEquals(200, r.status(), r.raw());
        return JSON.readTree(Base64.getUrlDecoder().decode(r.body().path("token").asText().split("\\.")[1]));
    }

    private BrokerApi.Response request(EnrolledAgent agent, Map<String, Object> body) {
        return agent.mtls(broker, vault).send("POST", agent.path() + "/jwt-svids", body, null, agent.basic());
    }

    @Test
    void theConfiguredDefaultAppliesAndALongerRequestStopsAtTheCertificatesNotAfter() throws Exception {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        JsonNode byDefault = claims(request(agent, Map.of("audience", List.of("a"))));
        assertEquals(120, byDefault.path("exp").asLong() - byDefault.path("iat").asLong());

        JsonNode longer = claims(request(agent, Map.of("audience", List.of("a"), "ttl_seconds", 172_800)));
        Instant notAfter = agent.certificate().getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(notAfter.getEpochSecond(), longer.path("exp").asLong(), "24 h certificate, 48 h asked: the certificate wins");
    }

    @Test
    void aCertificateReplacedByARotationGetsJwtSvidsOnlyUntilItsGraceEnds() throws Exception {
        EnrolledAgent previous = EnrolledAgent.enroll(fixtures, "acme");
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response rotated = previous.mtls(broker, vault).send("POST", previous.path() + "/certificate/rotate",
                Map.of("csr", csr.pem()), null, previous.basic());
        assertEquals(200, rotated.status(), rotated.raw());
        Instant graceUntil = Instant.parse(broker.query("SELECT grace_until FROM certificate_bindings WHERE x5t_s256 = ?",
                previous.x5t()).get(0).get("grace_until").toString().replace(' ', 'T').replaceAll("\\+00(:00)?$", "Z"));

        JsonNode inGrace = claims(request(previous, Map.of("audience", List.of("a"))));
        assertTrue(inGrace.path("exp").asLong() <= graceUntil.getEpochSecond(), inGrace + " vs " + graceUntil);
        assertTrue(inGrace.path("exp").asLong() - inGrace.path("iat").asLong() <= 20, inGrace.toString());

        JsonNode current = claims(request(previous.rotated(csr.keys(), rotated.body()), Map.of("audience", List.of("a"))));
        assertEquals(120, current.path("exp").asLong() - current.path("iat").asLong(), "the new certificate: the full lifetime");
    }

    @Test
    void aJwtSvidKeyThatIsTheAccessTokenKeyStopsTheBrokerAtStartUp() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> BrokerInstance.start(vault,
                Map.of("broker.jwt-svid.transit-key", "identity-broker-jwt")).close());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("must differ from broker.oauth.transit-key"), root.toString());
    }

    @Test
    void withoutItsTransitKeyTheBrokerServesBundlesWithoutJwtKeysAndRefusesJwtSvidsOnTheRecord() {
        try (BrokerInstance other = BrokerInstance.start(vault, Map.of("broker.jwt-svid.transit-key", "identity-broker-jwt-svid-absent"))) {
            io.identitybroker.testing.Fixtures f = new io.identitybroker.testing.Fixtures(other.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            BrokerApi.Response r = agent.mtls(other, vault).send("POST", agent.path() + "/jwt-svids",
                    Map.of("audience", List.of("a")), null, agent.basic());
            // 500 when this request asked Vault, 503 while the ring's last failed read is recent: never a token.
            assertTrue(r.status() == 500 || r.status() == 503, r.raw());
            assertEquals(1, other.count("SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued'"
                    + " AND outcome = 'failure'"));
            assertEquals(0, other.count("SELECT COUNT(*) FROM audit_events WHERE type = 'agent.jwt_svid.issued'"
                    + " AND outcome = 'success'"));

            BrokerApi.Response bundle = other.api().get("/spiffe/bundles/" + vault.trustDomain(), null);
            assertEquals(200, bundle.status(), bundle.raw());
            bundle.body().path("keys").forEach(k -> assertEquals("x509-svid", k.path("use").asText(), k.toString()));
        }
    }
}
