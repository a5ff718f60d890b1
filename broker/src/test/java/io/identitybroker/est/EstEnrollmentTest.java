package io.identitybroker.est;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.MtlsClient;
import io.identitybroker.testing.TestCertificates;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.CSRAttributesResponse;
import org.bouncycastle.est.ESTAuth;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EST (RFC 7030) per tenant with BouncyCastle's EST client (org.bouncycastle.est), and the
 * refusals over raw HTTPS: against the real Vault, over real TLS, through the same enrollment and
 * rotation cores as the JSON API.
 */
class EstEnrollmentTest extends BrokerTest {
    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    // ------------------------------------------------------------------ BouncyCastle's EST client

    @Test
    void cacertsIsTheTenantsChainAsACertsOnlyMessage() throws Exception {
        List<X509Certificate> acme = certificates(est("acme", null).getCACerts().getCertificateStore().getMatches(null));
        List<X509Certificate> globex = certificates(est("globex", null).getCACerts().getCertificateStore().getMatches(null));
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        assertTrue(acme.contains(agent.chain().get(1)), "acme's issuing CA is in its cacerts");
        assertTrue(!globex.contains(agent.chain().get(1)), "globex's cacerts does not carry acme's issuing CA");

        BrokerApi.Response raw = api.get("/.well-known/est/acme/cacerts", null);
        assertEquals(200, raw.status(), raw.raw());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", raw.header("Content-Type"));
        assertEquals("base64", raw.header("Content-Transfer-Encoding"));
    }

    @Test
    void aTokenEnrollsOverEstAndTheCertificateReenrollsWithTheRotationSemantics() throws Exception {
        String token = fixtures.tokenSecret("acme");
        Csrs.Csr csr = Csrs.p256();
        EnrollmentResponse enrolled = est("acme", null).simpleEnroll(false, pkcs10(csr), basic("device-1", token));
        X509Certificate cert = single(enrolled);
        String spiffeId = uriSan(cert);
        assertTrue(spiffeId.startsWith("spiffe://" + vault.trustDomain() + "/tenant/acme/agent/"), spiffeId);
        String agentId = spiffeId.substring(spiffeId.lastIndexOf('/') + 1);
        Map<String, Object> row = broker.query("SELECT spiffe_id, secret_hash, secret_version FROM agents WHERE id = ?", agentId).get(0);
        assertEquals(spiffeId, row.get("spiffe_id"));
        assertNull(row.get("secret_hash"), "an EST agent has no secret");
        assertEquals(0, ((Number) row.get("secret_version")).intValue());
        assertEquals(1, broker.count("SELECT uses FROM enrollment_tokens WHERE tenant_id = 'acme' AND id ="
                + " (SELECT enrollment_token_id FROM agents WHERE id = ?)", agentId));
        assertTrue(details("agent.enrolled", "success", agentId).contains("\"protocol\":\"est\""));

        // re-enroll with the certificate alone (it has no secret), over BouncyCastle's client
        Csrs.Csr next = Csrs.p256();
        EnrollmentResponse renewed = est("acme", keys(cert, csr.keys())).simpleEnroll(true, pkcs10(next), null);
        X509Certificate rotated = single(renewed);
        assertEquals(spiffeId, uriSan(rotated));
        assertNotEquals(cert.getSerialNumber(), rotated.getSerialNumber());
        assertEquals(next.keys().getPublic(), rotated.getPublicKey());
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'CURRENT'", agentId));
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'PREVIOUS'", agentId));
        String rotatedDetails = details("agent.certificate.rotated", "success", agentId);
        assertTrue(rotatedDetails.contains("\"protocol\":\"est\"") && rotatedDetails.contains("bound_certificate"), rotatedDetails);

        // the previous certificate still authenticates during its grace but can no longer re-enroll
        ESTException again = assertThrows(ESTException.class,
                () -> est("acme", keys(cert, csr.keys())).simpleEnroll(true, pkcs10(Csrs.p256()), null));
        assertEquals(403, again.getStatusCode());
        assertTrue(details("agent.certificate.rotated", "failure", agentId).contains("rotation_conflict"));
    }

    @Test
    void csrattrsNamesTheAcceptedKeyTypes() throws Exception {
        CSRAttributesResponse attrs = est("acme", null).getCSRAttributes().getAttributesResponse();
        assertTrue(attrs.hasRequirement(X9ObjectIdentifiers.id_ecPublicKey) && attrs.isAttribute(X9ObjectIdentifiers.id_ecPublicKey));
        assertTrue(attrs.hasRequirement(EdECObjectIdentifiers.id_Ed25519));
        assertTrue(attrs.hasRequirement(PKCSObjectIdentifiers.rsaEncryption));
        assertTrue(attrs.hasRequirement(X9ObjectIdentifiers.ecdsa_with_SHA256));
        BrokerApi.Response raw = api.get("/.well-known/est/acme/csrattrs", null);
        assertEquals("application/csrattrs", raw.header("Content-Type"));
        assertEquals(404, api.get("/.well-known/est/nosuch/csrattrs", null).status());
    }

    // ------------------------------------------------------------------ refusals, as a stock client sees them

    /** One refused EST request: what was sent, and the status, error code and audit reason expected. */
    private record Refusal(String name, int status, String code, String auditType, String reason) {
    }

    @Test
    void everyRefusalIsPlainTextWithItsStatusAndLeavesOnlyItsAuditEvent() {
        EnrolledAgent jsonAgent = EnrolledAgent.enroll(fixtures, "acme");
        EnrolledAgent globexAgent = EnrolledAgent.enroll(fixtures, "globex");
        String globexToken = fixtures.tokenSecret("globex");
        String spent = fixtures.tokenSecret("acme");
        assertEquals(200, enroll("acme", spent, Csrs.p256()).status());
        String acmeToken = fixtures.tokenSecret("acme");
        int signedBefore = vault.certificateCount("pki-tenants/acme");

        Map<Refusal, BrokerApi.Response> cases = new java.util.LinkedHashMap<>();
        cases.put(new Refusal("no credentials", 401, "invalid_enrollment_token", "agent.enrollment.failed", "missing"),
                post("acme", "simpleenroll", body(Csrs.p256()), Map.of()));
        cases.put(new Refusal("spent token", 401, "invalid_enrollment_token", "agent.enrollment.failed", "spent"),
                enroll("acme", spent, Csrs.p256()));
        cases.put(new Refusal("another tenant's token", 401, "invalid_enrollment_token", "agent.enrollment.failed", "tenant_mismatch"),
                enroll("acme", globexToken, Csrs.p256()));
        cases.put(new Refusal("unknown label", 401, "invalid_enrollment_token", "agent.enrollment.failed", "tenant_mismatch"),
                enroll("nosuch", globexToken, Csrs.p256()));
        cases.put(new Refusal("weak key", 400, "csr_weak_key", "agent.enrollment.failed", "csr_weak_key"),
                enroll("acme", acmeToken, Csrs.of(Csrs.rsa(1024))));
        cases.put(new Refusal("not base64", 400, "csr_malformed", "agent.enrollment.failed", "csr_malformed"),
                post("acme", "simpleenroll", "%%%not base64%%%", EnrolledAgent.basic("x", acmeToken)));
        cases.put(new Refusal("CSR over 16 KiB", 400, "csr_too_large", "agent.enrollment.failed", "csr_too_large"),
                post("acme", "simpleenroll", "A".repeat(20 * 1024), EnrolledAgent.basic("x", acmeToken)));
        cases.put(new Refusal("reenroll without certificate", 401, "client_certificate_required", "agent.certificate.rotated", "client_certificate_required"),
                post("acme", "simplereenroll", body(Csrs.p256()), Map.of()));
        cases.put(new Refusal("reenroll with another tenant's agent", 403, "client_certificate_wrong_tenant", "agent.certificate.rotated",
                        "client_certificate_wrong_tenant"),
                reenroll(globexAgent, "acme", Map.of()));
        cases.put(new Refusal("JSON agent without its secret", 401, "invalid_agent_credentials", "agent.certificate.rotated", "invalid_agent_credentials"),
                reenroll(jsonAgent, "acme", Map.of()));
        KeyPair forger = Csrs.ec("secp256r1");
        BrokerApi forged = MtlsClient.of(broker, vault, List.of(TestCertificates.selfSigned(forger, jsonAgent.spiffeId())), forger.getPrivate());
        cases.put(new Refusal("self-signed certificate", 403, "client_certificate_untrusted", "agent.certificate.rotated", "client_certificate_untrusted"),
                raw(forged, "acme", "simplereenroll", body(Csrs.p256()), Map.of()));

        List<String> failures = new ArrayList<>();
        cases.forEach((c, r) -> {
            String text = r.raw();
            if (r.status() != c.status() || !text.startsWith(c.code() + ": ")
                    || !r.header("Content-Type").startsWith("text/plain")) {
                failures.add(c.name() + ": " + r.status() + " " + r.header("Content-Type") + " " + text);
            }
            if (c.status() == 401 && r.header("WWW-Authenticate") == null) {
                failures.add(c.name() + ": no WWW-Authenticate");
            }
            String correlation = r.header("X-Correlation-Id");
            List<Map<String, Object>> events = broker.query("SELECT type, outcome, details FROM audit_events WHERE correlation_id = ?", correlation);
            if (events.size() != 1 || !c.auditType().equals(events.get(0).get("type"))
                    || !String.valueOf(events.get(0).get("details")).contains("\"reason\":\"" + c.reason() + "\"")
                    || !String.valueOf(events.get(0).get("details")).contains("\"protocol\":\"est\"")) {
                failures.add(c.name() + ": audit " + events);
            }
        });
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(signedBefore, vault.certificateCount("pki-tenants/acme"), "nothing was signed");
        assertEquals(0, broker.count("SELECT uses FROM enrollment_tokens WHERE token_hash = ?",
                io.identitybroker.security.SecretTokens.hash(globexToken)), "a refused token keeps its use");
        assertEquals(0, broker.count("SELECT uses FROM enrollment_tokens WHERE token_hash = ?",
                io.identitybroker.security.SecretTokens.hash(acmeToken)), "a refused CSR does not spend the token");

        // over the server's 64 KiB request limit: refused before anything reads it
        BrokerApi.Response huge = post("acme", "simpleenroll", "A".repeat(70 * 1024), EnrolledAgent.basic("x", acmeToken));
        assertEquals(413, huge.status(), huge.raw());
        assertTrue(huge.header("Content-Type").startsWith("text/plain"), huge.header("Content-Type"));
        assertEquals(0, broker.count("SELECT count(*) FROM audit_events WHERE correlation_id = ?", huge.header("X-Correlation-Id")));

        // a JSON body is not an EST request
        BrokerApi.Response json = api.send("POST", "/.well-known/est/acme/simpleenroll", "{}", null,
                EnrolledAgent.basic("x", acmeToken));
        assertEquals(415, json.status(), json.raw());
        assertTrue(json.header("Content-Type").startsWith("text/plain"), json.header("Content-Type"));

        // the JSON agent re-enrolls over EST with its secret as the second factor
        BrokerApi.Response withSecret = reenroll(jsonAgent, "acme", jsonAgent.basic());
        assertEquals(200, withSecret.status(), withSecret.raw());
        assertEquals(jsonAgent.agentId(), withSecret.header(EstController.AGENT_ID_HEADER));
    }

    @Test
    void ofConcurrentReenrollmentsWithOneCertificateExactlyOneGetsACertificate() throws Exception {
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response enrolled = enroll("acme", fixtures.tokenSecret("acme"), csr);
        assertEquals(200, enrolled.status(), enrolled.raw());
        String agentId = enrolled.header(EstController.AGENT_ID_HEADER);
        BrokerApi client = MtlsClient.of(broker, vault, certsOnly(enrolled.raw()), csr.keys().getPrivate());
        int signedBefore = vault.certificateCount("pki-tenants/acme");
        int n = 8;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(body(Csrs.p256()));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<BrokerApi.Response>> futures = new ArrayList<>();
            for (String b : bodies) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return raw(client, "acme", "simplereenroll", b, Map.of());
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (var f : futures) {
                BrokerApi.Response r = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                outcomes.add(r.status() + " " + r.raw().split(":")[0]);
            }
            assertEquals(1, outcomes.stream().filter(o -> o.startsWith("200")).count(), outcomes.toString());
            assertEquals(n - 1, outcomes.stream().filter(o -> o.equals("403 rotation_conflict")).count(), outcomes.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(signedBefore + 1, vault.certificateCount("pki-tenants/acme"), "the losers were refused before Vault signed");
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'CURRENT'", agentId));
    }

    @Test
    void aRevokedAgentCannotReenroll() {
        Csrs.Csr csr = Csrs.p256();
        BrokerApi.Response enrolled = enroll("acme", fixtures.tokenSecret("acme"), csr);
        assertEquals(200, enrolled.status(), enrolled.raw());
        String agentId = enrolled.header(EstController.AGENT_ID_HEADER);
        X509Certificate cert = certsOnly(enrolled.raw()).get(0);
        assertEquals(200, api.post("/api/v1/tenants/acme/agents/" + agentId + "/revoke", null, vault.adminToken("acme")).status());
        BrokerApi.Response refused = raw(MtlsClient.of(broker, vault, List.of(cert), csr.keys().getPrivate()),
                "acme", "simplereenroll", body(Csrs.p256()), Map.of());
        assertEquals(401, refused.status(), refused.raw());
        assertTrue(refused.raw().startsWith("client_certificate_revoked: "), refused.raw());
    }

    @Test
    void theUnlabelledPathsServeOnlyAConfiguredDefaultTenant() {
        assertEquals(404, api.get("/.well-known/est/cacerts", null).status());
        assertEquals(404, post(null, "simpleenroll", body(Csrs.p256()), EnrolledAgent.basic("x", fixtures.tokenSecret("acme"))).status());
        try (BrokerInstance withDefault = BrokerInstance.start(vault, Map.of("broker.est.default-tenant", "acme"))) {
            BrokerApi other = withDefault.api();
            Fixtures otherFixtures = new Fixtures(other, vault);
            otherFixtures.tenant("acme");
            assertEquals(200, other.get("/.well-known/est/cacerts", null).status());
            String token = otherFixtures.tokenSecret("acme");
            BrokerApi.Response r = other.send("POST", "/.well-known/est/simpleenroll", body(Csrs.p256()), null,
                    withPkcs10(EnrolledAgent.basic("device", token)));
            assertEquals(200, r.status(), r.raw());
            assertTrue(uriSan(certsOnly(r.raw()).get(0)).contains("/tenant/acme/agent/"));
        }
    }

    // ------------------------------------------------------------------ helpers

    private ESTService est(String label, KeyManager[] keyManagers) throws Exception {
        URI base = URI.create(api.baseUrl());
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        roots.setCertificateEntry("root", TestCertificates.parseAll(Files.readString(Path.of(vault.env("IB_ROOT_CA_FILE")))).get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        JsseESTServiceBuilder b = new JsseESTServiceBuilder(base.getHost() + ":" + base.getPort(),
                (X509TrustManager) trust.getTrustManagers()[0]);
        if (keyManagers != null) {
            b.withKeyManagers(keyManagers);
        }
        b.withLabel(label);
        return b.build();
    }

    /** HTTP Basic sent with the first request (BouncyCastle's HttpAuth waits for a 401 challenge first). */
    private static ESTAuth basic(String user, String password) {
        String value = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return request -> request.setHeader("Authorization", value);
    }

    private KeyManager[] keys(X509Certificate cert, KeyPair keys) {
        return MtlsClient.keyManagers(List.of(cert), keys.getPrivate());
    }

    private static PKCS10CertificationRequest pkcs10(Csrs.Csr csr) throws Exception {
        return new PKCS10CertificationRequest(Csrs.der(csr.pem()));
    }

    private static X509Certificate single(EnrollmentResponse r) throws Exception {
        List<X509Certificate> certs = certificates(r.getStore().getMatches(null));
        assertEquals(1, certs.size());
        return certs.get(0);
    }

    private static List<X509Certificate> certificates(java.util.Collection<X509CertificateHolder> holders) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (X509CertificateHolder h : holders) {
            out.add(new JcaX509CertificateConverter().getCertificate(h));
        }
        return out;
    }

    static List<X509Certificate> certsOnly(String base64) {
        try {
            var signed = new org.bouncycastle.cms.CMSSignedData(Base64.getMimeDecoder().decode(base64));
            return certificates(signed.getCertificates().getMatches(null));
        } catch (Exception e) {
            throw new AssertionError("not a certs-only message: " + base64, e);
        }
    }

    static String uriSan(X509Certificate cert) {
        try {
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                if (Integer.valueOf(6).equals(san.get(0))) {
                    return (String) san.get(1);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no URI SAN");
    }

    private String details(String type, String outcome, String subject) {
        return broker.query("SELECT details FROM audit_events WHERE type = ? AND outcome = ? AND subject = ?",
                type, outcome, subject).toString();
    }

    static String body(Csrs.Csr csr) {
        return Base64.getMimeEncoder().encodeToString(Csrs.der(csr.pem()));
    }

    private BrokerApi.Response enroll(String label, String token, Csrs.Csr csr) {
        return post(label, "simpleenroll", body(csr), EnrolledAgent.basic("device", token));
    }

    private BrokerApi.Response reenroll(EnrolledAgent agent, String label, Map<String, String> headers) {
        return raw(agent.mtls(broker, vault), label, "simplereenroll", body(Csrs.p256()), headers);
    }

    private BrokerApi.Response post(String label, String operation, String body, Map<String, String> headers) {
        return raw(api, label, operation, body, headers);
    }

    private static BrokerApi.Response raw(BrokerApi client, String label, String operation, String body, Map<String, String> headers) {
        return client.send("POST", "/.well-known/est/" + (label == null ? "" : label + "/") + operation, body, null,
                withPkcs10(headers));
    }

    private static Map<String, String> withPkcs10(Map<String, String> headers) {
        Map<String, String> h = new HashMap<>(headers);
        h.put("Content-Type", "application/pkcs10");
        h.put("Content-Transfer-Encoding", "base64");
        return h;
    }
}
