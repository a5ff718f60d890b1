package io.identitybroker.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.pki.Pem;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

/** An agent enrolled through the real exchange: its Vault-signed certificate and key. */
record EnrolledAgent(String tenant, String agentId, String spiffeId, X509Certificate certificate, String x5tS256,
                     KeyPair keys) {

    static EnrolledAgent enroll(Fixtures fixtures, String tenant) {
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret(tenant), csr.pem());
        if (r.status() != 200) {
            throw new AssertionError("exchange failed: " + r.status() + " " + r.raw());
        }
        JsonNode body = r.body();
        return new EnrolledAgent(tenant, body.path("agent_id").asText(), body.path("spiffe_id").asText(),
                Pem.certificate(body.path("certificate").asText()), body.path("x5t#S256").asText(), csr.keys());
    }

    /**
     * A token issued through the broker's own issuer and Vault transit, for the scopes the
     * enrollment token granted. (The mTLS token endpoint drives the same issuer.)
     */
    String issueToken(BrokerInstance broker) {
        return broker.context().getBean(AccessTokenIssuer.class).issue(new AccessTokenIssuer.Grant(tenant, agentId, spiffeId,
                "orders.read", x5tS256, certificate.getNotAfter().toInstant())).accessToken();
    }
}
