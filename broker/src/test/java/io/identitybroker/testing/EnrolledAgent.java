package io.identitybroker.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An agent enrolled through the real exchange: its key, certificate, chain and secret, and
 * clients that present them.
 */
public record EnrolledAgent(String tenant, String agentId, String spiffeId, KeyPair keys, String certificatePem,
                            List<String> caChainPem, String serialNumber, String x5t, String secret) {

    /** Enrolls a fresh agent of {@code tenant} with a P-256 key. */
    public static EnrolledAgent enroll(Fixtures fixtures, String tenant) {
        return enroll(fixtures, tenant, List.of("orders.read"));
    }

    /** The same, for an agent that may request {@code scopes} as an OAuth2 client. */
    public static EnrolledAgent enroll(Fixtures fixtures, String tenant, List<String> scopes) {
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response r = fixtures.exchange(fixtures.token(tenant, 1, 600, scopes).path("token").asText(), csr.pem());
        if (r.status() != 200) {
            throw new AssertionError("enrollment failed: " + r.status() + " " + r.raw());
        }
        return of(tenant, csr.keys(), r.body(), r.body().path("agent_secret").asText());
    }

    /** The agent after a certificate rotation answered {@code body} for a CSR of {@code newKeys}. */
    public EnrolledAgent rotated(KeyPair newKeys, JsonNode body) {
        return of(tenant, newKeys, body, secret);
    }

    public EnrolledAgent withSecret(String newSecret) {
        return new EnrolledAgent(tenant, agentId, spiffeId, keys, certificatePem, caChainPem, serialNumber, x5t, newSecret);
    }

    private static EnrolledAgent of(String tenant, KeyPair keys, JsonNode body, String secret) {
        List<String> chain = new ArrayList<>();
        body.path("ca_chain").forEach(c -> chain.add(c.asText()));
        return new EnrolledAgent(tenant, body.path("agent_id").asText(), body.path("spiffe_id").asText(), keys,
                body.path("certificate").asText(), List.copyOf(chain), body.path("serial_number").asText(),
                body.path("x5t#S256").asText(), secret);
    }

    public X509Certificate certificate() {
        return TestCertificates.parse(certificatePem);
    }

    public List<X509Certificate> chain() {
        return TestCertificates.chain(certificatePem, caChainPem);
    }

    /** A client presenting this agent's certificate. */
    public BrokerApi mtls(BrokerInstance broker, TestVault vault) {
        return MtlsClient.of(broker, vault, chain(), keys.getPrivate());
    }

    /** {@code Authorization: Basic agent_id:secret}. */
    public Map<String, String> basic() {
        return basic(agentId, secret);
    }

    public static Map<String, String> basic(String user, String secret) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    public String path() {
        return "/api/v1/agents/" + agentId;
    }

    @Override
    public String toString() {
        return "EnrolledAgent[" + tenant + "/" + agentId + ", serial=" + serialNumber + "]";
    }
}
