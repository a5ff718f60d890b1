package io.identitybroker.est;

import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.GoTools;
import io.identitybroker.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An off-the-shelf EST client, unmodified: globalsign's estclient v1.0.6 (built from the Go module
 * proxy into the cache; skipped with a message where Go is missing) runs cacerts, enroll with a
 * one-time token, reenroll with its certificate and csrattrs against a real broker, and is refused
 * a spent token, another tenant's token, a certificate the broker did not issue and a revoked agent.
 */
class EstClientTest extends BrokerTest {
    private Path estclient;
    @TempDir
    Path dir;

    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    @BeforeAll
    void buildEstclient() {
        // crypto11 (PKCS#11 keys) links C code: without cgo the module does not compile.
        estclient = GoTools.module("github.com/globalsign/est/cmd/estclient", "v1.0.6", Map.of("CGO_ENABLED", "1"));
    }

    /** One estclient run: exit code and what it printed. */
    private record Run(int exit, String output) {
    }

    @Test
    void estclientEnrollsWithATokenReenrollsWithItsCertificateAndReadsCacertsAndCsrattrs() throws Exception {
        Run cacerts = est("cacerts", "acme", "-out", dir.resolve("cacerts.pem").toString());
        assertEquals(0, cacerts.exit(), cacerts.output());
        List<X509Certificate> chain = TestCertificates.parseAll(Files.readString(dir.resolve("cacerts.pem")));
        assertTrue(!chain.isEmpty());

        Path key = writeKey("device.key", Csrs.ec("secp256r1"));
        Run enroll = est("enroll", "acme", "-key", key.toString(), "-user", "device-1",
                "-pass", fixtures.tokenSecret("acme"), "-cn", "device-1", "-out", dir.resolve("device.pem").toString());
        assertEquals(0, enroll.exit(), enroll.output());
        X509Certificate cert = TestCertificates.parse(Files.readString(dir.resolve("device.pem")));
        String spiffeId = EstEnrollmentTest.uriSan(cert);
        String agentId = spiffeId.substring(spiffeId.lastIndexOf('/') + 1);
        assertEquals("spiffe://" + vault.trustDomain() + "/tenant/acme/agent/" + agentId, spiffeId);
        assertVerifies(cert, chain);
        assertEquals(1, broker.count("SELECT count(*) FROM certificate_bindings WHERE agent_id = ? AND status = 'CURRENT'", agentId));

        Run reenroll = est("reenroll", "acme", "-key", key.toString(), "-certs", dir.resolve("device.pem").toString(),
                "-out", dir.resolve("device-2.pem").toString());
        assertEquals(0, reenroll.exit(), reenroll.output());
        X509Certificate renewed = TestCertificates.parse(Files.readString(dir.resolve("device-2.pem")));
        assertEquals(spiffeId, EstEnrollmentTest.uriSan(renewed));
        assertNotEquals(cert.getSerialNumber(), renewed.getSerialNumber());
        assertVerifies(renewed, chain);
        assertEquals(renewed.getSerialNumber().toString(16), ((String) broker.query("SELECT serial_number FROM certificate_bindings"
                + " WHERE agent_id = ? AND status = 'CURRENT'", agentId).get(0).get("serial_number")).replace(":", "").replaceFirst("^0+", ""));

        Run csrattrs = est("csrattrs", "acme");
        assertEquals(0, csrattrs.exit(), csrattrs.output());
        assertTrue(csrattrs.output().contains("1.2.840.10045.2.1"), csrattrs.output()); // id-ecPublicKey
    }

    @Test
    void estclientIsRefusedASpentTokenAForeignTokenAStrangersCertificateAndARevokedAgent() throws Exception {
        Path key = writeKey("refused.key", Csrs.ec("secp256r1"));
        String token = fixtures.tokenSecret("acme");
        Path cert = dir.resolve("refused.pem");
        assertEquals(0, est("enroll", "acme", "-key", key.toString(), "-user", "d", "-pass", token, "-cn", "d",
                "-out", cert.toString()).exit());

        Run spent = est("enroll", "acme", "-key", key.toString(), "-user", "d", "-pass", token, "-cn", "d");
        assertRefused(spent, "invalid_enrollment_token");
        Run foreign = est("enroll", "acme", "-key", key.toString(), "-user", "d", "-pass", fixtures.tokenSecret("globex"), "-cn", "d");
        assertRefused(foreign, "invalid_enrollment_token");

        KeyPair strangerKeys = Csrs.ec("secp256r1");
        X509Certificate original = TestCertificates.parse(Files.readString(cert));
        Path stranger = dir.resolve("stranger.pem");
        Files.writeString(stranger, TestCertificates.pem(TestCertificates.selfSigned(strangerKeys,
                EstEnrollmentTest.uriSan(original))));
        Run strangers = est("reenroll", "acme", "-key", writeKey("stranger.key", strangerKeys).toString(),
                "-certs", stranger.toString());
        assertRefused(strangers, "client_certificate_untrusted");

        String agentId = EstEnrollmentTest.uriSan(original).replaceAll(".*/", "");
        assertEquals(200, api.post("/api/v1/tenants/acme/agents/" + agentId + "/revoke", null, vault.adminToken("acme")).status());
        Run revoked = est("reenroll", "acme", "-key", key.toString(), "-certs", cert.toString());
        assertRefused(revoked, "client_certificate_revoked");
    }

    private static void assertRefused(Run run, String code) {
        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains(code), run.output());
    }

    private Run est(String command, String label, String... args) throws IOException, InterruptedException {
        URI base = URI.create(api.baseUrl());
        List<String> cmd = new ArrayList<>(List.of(estclient.toString(), command, "-server", base.getHost() + ":" + base.getPort(),
                "-aps", label, "-explicit", vault.env("IB_ROOT_CA_FILE"), "-timeout", "60s"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("estclient " + command + " did not finish: " + output);
        }
        return new Run(p.exitValue(), output);
    }

    private Path writeKey(String name, KeyPair keys) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** PKIX from the leaf through cacerts' intermediates to its self-signed root (a certs-only SET has no order). */
    private static void assertVerifies(X509Certificate leaf, List<X509Certificate> cacerts) throws Exception {
        X509Certificate root = cacerts.stream().filter(c -> c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
                .findFirst().orElseThrow(() -> new AssertionError("cacerts carries no root: " + cacerts));
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        for (X509Certificate next = leaf; !next.getIssuerX500Principal().equals(root.getSubjectX500Principal()); ) {
            X509Certificate issued = next;
            next = cacerts.stream().filter(c -> c.getSubjectX500Principal().equals(issued.getIssuerX500Principal()))
                    .findFirst().orElseThrow(() -> new AssertionError("no issuer for " + issued.getSubjectX500Principal()));
            path.add(next);
        }
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    }
}
