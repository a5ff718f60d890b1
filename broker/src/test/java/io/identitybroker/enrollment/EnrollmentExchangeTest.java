package io.identitybroker.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrollmentExchangeTest extends BrokerTest {
    @Test
    void exchangedCertificateIsAnSvidChainedToTheTenantAndBoundByThumbprint() throws Exception {
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret("acme"), csr.pem());

        assertEquals(200, r.status(), r.raw());
        JsonNode body = r.body();
        String agentId = body.path("agent_id").asText();
        String spiffeId = "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/" + agentId;
        assertEquals(spiffeId, body.path("spiffe_id").asText());
        assertTrue(body.path("agent_secret").asText().startsWith("ibas_"));
        assertEquals("no-store", r.header("Cache-Control"));

        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate leaf = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(body.path("certificate").asText().getBytes(StandardCharsets.US_ASCII)));
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode c : body.path("ca_chain")) {
            chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.asText().getBytes(StandardCharsets.US_ASCII))));
        }
        X509Certificate root = (X509Certificate) cf.generateCertificate(
                java.nio.file.Files.newInputStream(java.nio.file.Path.of(vault.env("IB_ROOT_CA_FILE"))));
        // leaf -> tenant intermediate -> root
        X509Certificate intermediate = chain.get(0);
        leaf.verify(intermediate.getPublicKey());
        intermediate.verify(root.getPublicKey());
        assertTrue(intermediate.getSubjectX500Principal().getName().length() > 0);
        assertArrayEquals(csr.keys().getPublic().getEncoded(), leaf.getPublicKey().getEncoded());

        // X.509-SVID profile
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        assertEquals(1, sans.size());
        assertEquals(List.of(6, spiffeId), new ArrayList<>(sans.iterator().next()));
        assertEquals(-1, leaf.getBasicConstraints());
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.15"));
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
        assertFalse(leaf.getKeyUsage()[5], "keyCertSign");
        assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");

        // the thumbprint returned is the certificate's, and it is what the broker stored
        String x5t = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        assertEquals(x5t, body.path("x5t#S256").asText());
        List<Map<String, Object>> bindings = broker.query(
                "SELECT x5t_s256, serial_number, status FROM certificate_bindings WHERE agent_id = ?", agentId);
        assertEquals(1, bindings.size());
        assertEquals(x5t, bindings.get(0).get("x5t_s256"));
        assertEquals(body.path("serial_number").asText(), bindings.get(0).get("serial_number"));
        assertEquals("CURRENT", bindings.get(0).get("status"));

        // the agent exists with only a hash of its secret, and the enrollment is audited
        Map<String, Object> agent = broker.query("SELECT * FROM agents WHERE id = ?", agentId).get(0);
        assertEquals(spiffeId, agent.get("spiffe_id"));
        assertFalse(agent.get("secret_hash").toString().contains(body.path("agent_secret").asText()));
        assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.enrolled' AND subject = ?", agentId));
        assertNotNull(r.header("X-Correlation-Id"));
    }

    @Test
    void everyAcceptedKeyTypeEnrolls() {
        for (var keys : List.of(Csrs.ec("secp384r1"), Csrs.ed25519(), Csrs.rsa(2048))) {
            BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.of(keys).pem());
            assertEquals(200, r.status(), keys.getPublic().getAlgorithm() + ": " + r.raw());
        }
    }

    @Test
    void csrCarryingExactlyTheAssignedIdentityIsNotNeededButAnyOtherSanIsRefused() {
        String foreign = "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/chosen-by-agent";
        BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.withUriSan(Csrs.ec("secp256r1"), foreign).pem());
        assertEquals(400, r.status());
        assertEquals("csr_foreign_san", r.problemType());
    }
}
