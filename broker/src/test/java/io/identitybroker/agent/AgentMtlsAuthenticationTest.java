package io.identitybroker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.MtlsClient;
import io.identitybroker.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may call an agent route: issue 3's identity rules, over real TLS against the real Vault. */
class AgentMtlsAuthenticationTest extends BrokerTest {
    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    private static EnrolledAgent alice;
    private static EnrolledAgent bob;
    private static EnrolledAgent gina;

    @BeforeAll
    void setUp() {
        fixtures = new Fixtures(api, vault);
        alice = EnrolledAgent.enroll(fixtures, "acme");
        bob = EnrolledAgent.enroll(fixtures, "acme");
        gina = EnrolledAgent.enroll(fixtures, "globex");
    }

    private BrokerApi.Response self(BrokerApi client, EnrolledAgent asAgent, Map<String, String> headers) {
        return client.send("GET", asAgent.path(), null, null, headers);
    }

    @Test
    void validCertificateAndSecretAuthenticate() {
        BrokerApi.Response r = self(alice.mtls(broker, vault), alice, alice.basic());
        assertEquals(200, r.status(), r.raw());
        assertEquals(alice.agentId(), r.body().path("agent_id").asText());
        assertEquals(alice.spiffeId(), r.body().path("spiffe_id").asText());
        assertEquals("bound_certificate", r.body().path("authenticated_with").asText());
        assertEquals(alice.x5t(), r.body().path("x5t#S256").asText());
        assertEquals("current", r.body().path("certificate_status").asText());
    }

    @Test
    void certificateWithoutSecretIs401() {
        BrokerApi client = alice.mtls(broker, vault);
        BrokerApi.Response none = self(client, alice, Map.of());
        assertEquals(401, none.status(), none.raw());
        assertEquals("invalid_agent_credentials", none.problemType());
        BrokerApi.Response wrong = self(client, alice, EnrolledAgent.basic(alice.agentId(), "ibas_wrong"));
        assertEquals(401, wrong.status());
        assertEquals("invalid_agent_credentials", wrong.problemType());
        BrokerApi.Response othersSecret = self(client, alice, EnrolledAgent.basic(alice.agentId(), bob.secret()));
        assertEquals("invalid_agent_credentials", othersSecret.problemType());
    }

    @Test
    void secretWithoutCertificateIs401WhenMtlsIsRequired() {
        BrokerApi.Response r = self(api, alice, alice.basic());
        assertEquals(401, r.status(), r.raw());
        assertEquals("client_certificate_required", r.problemType());
        // and a refused state-changing request writes only its failure event
        BrokerApi.Response rotate = api.send("POST", alice.path() + "/rotate-secret", null, null, alice.basic());
        assertEquals("client_certificate_required", rotate.problemType());
        assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.secret.rotated' AND outcome = 'failure'"
                + " AND subject = ? AND details LIKE '%client_certificate_required%'", alice.agentId()));
    }

    @Test
    void anotherAgentsCertificateOfTheSameTenantIs403() {
        BrokerApi.Response r = self(bob.mtls(broker, vault), alice, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_agent_mismatch", r.problemType());
    }

    @Test
    void anotherTenantsAgentCertificateIs403() {
        BrokerApi.Response r = self(gina.mtls(broker, vault), alice, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_agent_mismatch", r.problemType());
    }

    @Test
    void certificateFromAnotherTenantsIntermediateNamingThisTenantIs403() {
        // A role on globex's mount that may write acme identities: globex's CA must still not vouch for acme.
        vault.request("POST", "pki-tenants/globex/roles/cross-tenant", Map.of(
                "allowed_uri_sans", "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/*",
                "allow_any_name", false, "require_cn", false, "use_csr_sans", false, "use_csr_common_name", false,
                "key_type", "any", "client_flag", true, "server_flag", false, "ttl", "1h"));
        Csrs.Csr csr = Csrs.p256();
        JsonNode signed = vault.request("POST", "pki-tenants/globex/sign/cross-tenant", Map.of("csr", csr.pem(),
                "uri_sans", alice.spiffeId(), "exclude_cn_from_sans", true)).path("data");
        List<X509Certificate> chain = TestCertificates.chain(signed.path("certificate").asText(),
                List.of(signed.path("issuing_ca").asText()));
        BrokerApi.Response r = self(MtlsClient.of(broker, vault, chain, csr.keys().getPrivate()), alice, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_wrong_issuer", r.problemType());
    }

    @Test
    void selfSignedCertificateCopyingTheSpiffeIdIs403() {
        KeyPair keys = Csrs.ec("secp256r1");
        X509Certificate impostor = TestCertificates.selfSigned(keys, alice.spiffeId());
        BrokerApi.Response r = self(MtlsClient.of(broker, vault, List.of(impostor), keys.getPrivate()), alice, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_untrusted", r.problemType());
    }

    @Test
    void certificateWithTheSameSerialButAnotherKeyIsRejected() {
        KeyPair keys = Csrs.ec("secp256r1");
        KeyPair fakeCaKeys = Csrs.ec("secp256r1");
        X509Certificate realIntermediate = alice.chain().get(1);
        X509Certificate fakeIntermediate = TestCertificates.ca(fakeCaKeys, realIntermediate.getSubjectX500Principal().getName());
        X509Certificate forged = TestCertificates.forgedCopy(alice.certificate(), keys, fakeCaKeys.getPrivate());
        assertEquals(alice.certificate().getSerialNumber(), forged.getSerialNumber());
        BrokerApi.Response r = self(MtlsClient.of(broker, vault, List.of(forged, fakeIntermediate), keys.getPrivate()),
                alice, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_untrusted", r.problemType());
    }

    @Test
    void vaultSignedCertificateThatTheBrokerDidNotBindIs403() {
        Csrs.Csr csr = Csrs.p256();
        JsonNode signed = vault.request("POST", "pki-tenants/acme/sign/agent", Map.of("csr", csr.pem(),
                "uri_sans", alice.spiffeId(), "exclude_cn_from_sans", true)).path("data");
        List<X509Certificate> chain = TestCertificates.chain(signed.path("certificate").asText(),
                List.of(signed.path("issuing_ca").asText()));
        BrokerApi.Response r = self(MtlsClient.of(broker, vault, chain, csr.keys().getPrivate()), alice, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_not_bound", r.problemType());
    }

    @Test
    void expiredCertificateIs401() throws Exception {
        Csrs.Csr csr = Csrs.p256();
        JsonNode signed = vault.request("POST", "pki-tenants/acme/sign/agent", Map.of("csr", csr.pem(),
                "uri_sans", alice.spiffeId(), "exclude_cn_from_sans", true, "ttl", "2s")).path("data");
        X509Certificate leaf = TestCertificates.parse(signed.path("certificate").asText());
        long wait = leaf.getNotAfter().getTime() - System.currentTimeMillis() + 1500;
        Thread.sleep(Math.max(0, wait));
        List<X509Certificate> chain = TestCertificates.chain(signed.path("certificate").asText(),
                List.of(signed.path("issuing_ca").asText()));
        BrokerApi client = MtlsClient.of(broker, vault, chain, csr.keys().getPrivate());
        BrokerApi.Response r = self(client, alice, alice.basic());
        assertEquals(401, r.status(), r.raw());
        assertEquals("client_certificate_expired", r.problemType());
        // an expired certificate cannot rotate either: the agent must enroll again
        BrokerApi.Response rotate = client.send("POST", alice.path() + "/certificate/rotate",
                Map.of("csr", Csrs.p256().pem()), null, alice.basic());
        assertEquals(401, rotate.status());
        assertEquals("client_certificate_expired", rotate.problemType());
    }

    @Test
    void secretAloneAuthenticatesWhenMtlsIsNotRequiredButAPresentedCertificateIsStillChecked() {
        try (BrokerInstance optional = BrokerInstance.start(vault, Map.of("broker.agent.mtls.required", false))) {
            Fixtures f = new Fixtures(optional.api(), vault);
            f.tenant("acme");
            EnrolledAgent carol = EnrolledAgent.enroll(f, "acme");
            BrokerApi.Response ok = optional.api().send("GET", carol.path(), null, null, carol.basic());
            assertEquals(200, ok.status(), ok.raw());
            assertEquals("secret_only", ok.body().path("authenticated_with").asText());
            BrokerApi.Response noSecret = optional.api().send("GET", carol.path(), null, null, Map.of());
            assertEquals("invalid_agent_credentials", noSecret.problemType());
            // a presented certificate is still checked: another agent's is refused
            EnrolledAgent dave = EnrolledAgent.enroll(f, "acme");
            BrokerApi.Response wrongCert = dave.mtls(optional, vault).send("GET", carol.path(), null, null, carol.basic());
            assertEquals(403, wrongCert.status(), wrongCert.raw());
            assertEquals("client_certificate_agent_mismatch", wrongCert.problemType());
            BrokerApi.Response both = carol.mtls(optional, vault).send("GET", carol.path(), null, null, carol.basic());
            assertEquals("bound_certificate", both.body().path("authenticated_with").asText());
        }
    }

    @Test
    void unknownAgentIsRefusedLikeAWrongCertificate() {
        BrokerApi.Response r = alice.mtls(broker, vault).send("GET", "/api/v1/agents/00000000-0000-0000-0000-000000000000",
                null, null, alice.basic());
        assertEquals(403, r.status(), r.raw());
        assertEquals("client_certificate_agent_mismatch", r.problemType());
        assertTrue(r.header("X-Correlation-Id") != null);
    }
}
