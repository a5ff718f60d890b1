package io.identitybroker.mtls;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.LogCapture;
import io.identitybroker.testing.TestCertificates;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TLS-terminating proxy's client-certificate header: honoured only from a trusted proxy address. */
@ExtendWith(VaultExtension.class)
class ProxyHeaderTest {

    static String xfcc(EnrolledAgent agent) {
        String chain = agent.certificatePem().strip() + "\n" + String.join("\n", agent.caChainPem().stream().map(String::strip).toList()) + "\n";
        return "Hash=00;Cert=\"" + encode(agent.certificatePem()) + "\";Chain=\"" + encode(chain) + "\";URI=" + agent.spiffeId();
    }

    static String encode(String pem) {
        return URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String byteSequence(X509Certificate c) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(c.getEncoded()) + ":";
    }

    private static Map<String, String> with(Map<String, String> a, String name, String value) {
        Map<String, String> m = new HashMap<>(a);
        m.put(name, value);
        return m;
    }

    @Test
    void xfccFromATrustedProxyAuthenticates(TestVault vault) {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of(
                "broker.agent.mtls.proxy-header", "X-Forwarded-Client-Cert",
                "broker.agent.mtls.trusted-proxies", List.of("10.0.0.0/8", "127.0.0.1/32")))) {
            Fixtures f = new Fixtures(broker.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            EnrolledAgent other = EnrolledAgent.enroll(f, "acme");
            // the test client connects from 127.0.0.1, a trusted proxy, without a client certificate of its own
            BrokerApi.Response ok = broker.api().send("GET", agent.path(), null, null,
                    with(agent.basic(), "X-Forwarded-Client-Cert", xfcc(agent)));
            assertEquals(200, ok.status(), ok.raw());
            assertEquals("bound_certificate", ok.body().path("authenticated_with").asText());
            // a rotation through the proxy works the same
            BrokerApi.Response rotated = broker.api().send("POST", agent.path() + "/rotate-secret", null, null,
                    with(agent.basic(), "X-Forwarded-Client-Cert", xfcc(agent)));
            assertEquals(200, rotated.status(), rotated.raw());

            // what the header carries is checked like a TLS certificate
            BrokerApi.Response otherCert = broker.api().send("GET", other.path(), null, null,
                    with(other.basic(), "X-Forwarded-Client-Cert", xfcc(agent)));
            assertEquals(403, otherCert.status());
            assertEquals("client_certificate_agent_mismatch", otherCert.problemType());
            KeyPair keys = Csrs.ec("secp256r1");
            String forged = "Cert=\"" + encode(TestCertificates.pem(TestCertificates.selfSigned(keys, other.spiffeId()))) + "\"";
            BrokerApi.Response selfSigned = broker.api().send("GET", other.path(), null, null,
                    with(other.basic(), "X-Forwarded-Client-Cert", forged));
            assertEquals("client_certificate_untrusted", selfSigned.problemType());
            // a trusted proxy that forwards no certificate: none, even if it had one of its own
            BrokerApi.Response none = other.mtls(broker, vault).send("GET", other.path(), null, null, other.basic());
            assertEquals(401, none.status());
            assertEquals("client_certificate_required", none.problemType());
            BrokerApi.Response garbage = broker.api().send("GET", other.path(), null, null,
                    with(other.basic(), "X-Forwarded-Client-Cert", "Cert=\"not-a-certificate\""));
            assertEquals(400, garbage.status());
            assertEquals("client_certificate_header_malformed", garbage.problemType());
        }
    }

    @Test
    void rfc9440ClientCertFromATrustedProxyAuthenticates(TestVault vault) throws Exception {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of(
                "broker.agent.mtls.proxy-header", "Client-Cert",
                "broker.agent.mtls.trusted-proxies", List.of("127.0.0.1")))) {
            Fixtures f = new Fixtures(broker.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            List<X509Certificate> chain = agent.chain();
            Map<String, String> headers = with(with(agent.basic(), "Client-Cert", byteSequence(chain.get(0))),
                    "Client-Cert-Chain", byteSequence(chain.get(1)));
            BrokerApi.Response ok = broker.api().send("GET", agent.path(), null, null, headers);
            assertEquals(200, ok.status(), ok.raw());
        }
    }

    @Test
    void theHeaderFromAnUntrustedAddressIsIgnoredAndLogged(TestVault vault) {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of(
                "broker.agent.mtls.proxy-header", "X-Forwarded-Client-Cert",
                "broker.agent.mtls.trusted-proxies", List.of("10.0.0.0/8")));
             LogCapture logs = new LogCapture()) {
            Fixtures f = new Fixtures(broker.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            EnrolledAgent other = EnrolledAgent.enroll(f, "acme");
            String header = xfcc(agent);
            BrokerApi.Response r = broker.api().send("GET", agent.path(), null, null,
                    with(agent.basic(), "X-Forwarded-Client-Cert", header));
            assertEquals(401, r.status(), r.raw());
            assertEquals("client_certificate_required", r.problemType());
            // with a real client certificate on the connection, that one is judged, not the header
            BrokerApi.Response mtls = other.mtls(broker, vault).send("GET", agent.path(), null, null,
                    with(agent.basic(), "X-Forwarded-Client-Cert", header));
            assertEquals("client_certificate_agent_mismatch", mtls.problemType());
            BrokerApi.Response own = agent.mtls(broker, vault).send("GET", agent.path(), null, null, agent.basic());
            assertEquals(200, own.status(), own.raw());

            String text = logs.text();
            assertTrue(text.contains("Ignored the X-Forwarded-Client-Cert header from /127.0.0.1"), text);
            assertFalse(text.contains(agent.certificatePem().substring(40, 100)), "the header's content is not logged");
            assertFalse(text.contains(encode(agent.certificatePem()).substring(60, 120)), "the header's content is not logged");
            assertFalse(text.contains(agent.secret()), "the secret is not logged");
        }
    }
}
