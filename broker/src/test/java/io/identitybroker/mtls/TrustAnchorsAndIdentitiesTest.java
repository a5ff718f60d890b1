package io.identitybroker.mtls;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.MtlsClient;
import io.identitybroker.testing.TestCertificates;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trust anchors (tenant CAs from Vault, the CA file), external SVIDs, DNS SAN identities, tenant PKI URLs. */
@ExtendWith(VaultExtension.class)
class TrustAnchorsAndIdentitiesTest {

    private static BrokerApi.Response self(BrokerApi client, EnrolledAgent agent) {
        return client.send("GET", agent.path(), null, null, agent.basic());
    }

    @Test
    void tenantAnchorsLoadOnCreationAndTheTenantShowsItsCrlAndOcspUrls(TestVault vault) {
        try (BrokerInstance broker = BrokerInstance.start(vault)) {
            Fixtures f = new Fixtures(broker.api(), vault);
            JsonNode created = f.tenant("globex");
            assertEquals(vault.address() + "/v1/pki-tenants/globex/crl", created.path("crl_url").asText());
            assertEquals(vault.address() + "/v1/pki-tenants/globex/ocsp", created.path("ocsp_url").asText());
            assertFalse(created.path("allow_dns_san").asBoolean());
            // the new tenant's CA is an anchor right away, before any agent request
            TrustAnchors anchors = broker.context().getBean(TrustAnchors.class);
            assertTrue(anchors.snapshot().stream().anyMatch(a -> a.tenants().contains("globex")));
            BrokerApi.Response read = broker.api().get("/api/v1/tenants/globex", vault.adminToken("globex"));
            assertEquals(vault.address() + "/v1/pki-tenants/globex/crl", read.body().path("crl_url").asText());
            // a suspended tenant's CA is no anchor any more
            assertEquals(200, broker.api().send("PATCH", "/api/v1/tenants/globex", Map.of("status", "suspended"),
                    vault.platformAdminToken(), Map.of()).status());
            assertTrue(anchors.snapshot().stream().noneMatch(a -> a.tenants().contains("globex")));
        }
    }

    @Test
    void dnsSanIdentitiesCountOnlyWhereTheTenantAllowsThem(TestVault vault) {
        try (BrokerInstance broker = BrokerInstance.start(vault)) {
            Fixtures f = new Fixtures(broker.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            vault.request("POST", "pki-tenants/acme/roles/dns-identity", Map.of(
                    "allowed_domains", "acme." + vault.trustDomain(), "allow_subdomains", true, "allow_bare_domains", false,
                    "allow_localhost", false, "use_csr_sans", false, "use_csr_common_name", false, "key_type", "any",
                    "client_flag", true, "server_flag", false, "ttl", "1h"));
            Csrs.Csr csr = Csrs.p256();
            JsonNode signed = vault.request("POST", "pki-tenants/acme/sign/dns-identity", Map.of("csr", csr.pem(),
                    "common_name", agent.agentId() + ".acme." + vault.trustDomain())).path("data");
            List<X509Certificate> chain = TestCertificates.chain(signed.path("certificate").asText(),
                    List.of(signed.path("issuing_ca").asText()));
            BrokerApi client = MtlsClient.of(broker, vault, chain, csr.keys().getPrivate());

            BrokerApi.Response off = self(client, agent);
            assertEquals(403, off.status(), off.raw());
            assertEquals("client_certificate_identity_invalid", off.problemType());

            BrokerApi.Response patched = broker.api().send("PATCH", "/api/v1/tenants/acme", Map.of("allow_dns_san", true),
                    vault.platformAdminToken(), Map.of());
            assertEquals(200, patched.status(), patched.raw());
            assertTrue(patched.body().path("allow_dns_san").asBoolean());
            // the identity is accepted now; the binding check still applies
            assertEquals("client_certificate_not_bound", self(client, agent).problemType());
            X509Certificate leaf = chain.get(0);
            broker.update("INSERT INTO certificate_bindings (id, agent_id, tenant_id, serial_number, x5t_s256, not_before,"
                            + " not_after, status, created_at) VALUES (?, ?, 'acme', ?, ?, ?, ?, 'PREVIOUS', ?)",
                    UUID.randomUUID().toString(), agent.agentId(), signed.path("serial_number").asText(),
                    Thumbprints.x5tS256(leaf), leaf.getNotBefore().toInstant().atOffset(java.time.ZoneOffset.UTC),
                    leaf.getNotAfter().toInstant().atOffset(java.time.ZoneOffset.UTC),
                    Instant.now().atOffset(java.time.ZoneOffset.UTC));
            broker.update("UPDATE certificate_bindings SET grace_until = ? WHERE x5t_s256 = ?",
                    Instant.now().plusSeconds(600).atOffset(java.time.ZoneOffset.UTC), Thumbprints.x5tS256(leaf));
            BrokerApi.Response bound = self(client, agent);
            assertEquals(200, bound.status(), bound.raw());
            // a DNS name for another agent of the tenant is no identity of this one
            EnrolledAgent other = EnrolledAgent.enroll(f, "acme");
            assertEquals("client_certificate_agent_mismatch", self(client, other).problemType());
        }
    }

    @Test
    void externalSvidsFromTheCaFileOnlyWhenAcceptedAndTheFileIsReReadWithoutRestart(TestVault vault, @TempDir Path dir)
            throws Exception {
        KeyPair spireKeys = Csrs.ec("secp256r1");
        X509Certificate spireCa = TestCertificates.ca(spireKeys, "CN=SPIRE test bundle");
        KeyPair laterKeys = Csrs.ec("secp256r1");
        X509Certificate laterCa = TestCertificates.ca(laterKeys, "CN=SPIRE bundle added later");
        Path caFile = dir.resolve("bundle.pem");
        Files.writeString(caFile, TestCertificates.pem(spireCa));

        try (BrokerInstance refusing = BrokerInstance.start(vault, Map.of("broker.agent.mtls.ca-file", caFile.toString()))) {
            Fixtures f = new Fixtures(refusing.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            KeyPair keys = Csrs.ec("secp256r1");
            X509Certificate svid = TestCertificates.issuedBy(spireCa, spireKeys.getPrivate(), keys, agent.spiffeId());
            BrokerApi.Response r = self(MtlsClient.of(refusing, vault, List.of(svid), keys.getPrivate()), agent);
            assertEquals(403, r.status(), r.raw());
            assertEquals("external_svid_not_accepted", r.problemType());
        }
        try (BrokerInstance accepting = BrokerInstance.start(vault, Map.of("broker.agent.mtls.ca-file", caFile.toString(),
                "broker.agent.mtls.accept-external-svids", true, "broker.agent.mtls.anchor-refresh", "1s"))) {
            Fixtures f = new Fixtures(accepting.api(), vault);
            f.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(f, "acme");
            KeyPair keys = Csrs.ec("secp256r1");
            X509Certificate svid = TestCertificates.issuedBy(spireCa, spireKeys.getPrivate(), keys, agent.spiffeId());
            BrokerApi.Response ok = self(MtlsClient.of(accepting, vault, List.of(svid), keys.getPrivate()), agent);
            assertEquals(200, ok.status(), ok.raw());
            assertEquals("external_svid", ok.body().path("authenticated_with").asText());

            X509Certificate foreignDomain = TestCertificates.issuedBy(spireCa, spireKeys.getPrivate(), keys,
                    agent.spiffeId().replace("spiffe://" + vault.trustDomain() + "/", "spiffe://other.test/"));
            assertEquals("client_certificate_wrong_trust_domain",
                    self(MtlsClient.of(accepting, vault, List.of(foreignDomain), keys.getPrivate()), agent).problemType());
            X509Certificate otherPath = TestCertificates.issuedBy(spireCa, spireKeys.getPrivate(), keys,
                    "spiffe://" + vault.trustDomain() + "/ns/prod/sa/worker");
            assertEquals("client_certificate_identity_invalid",
                    self(MtlsClient.of(accepting, vault, List.of(otherPath), keys.getPrivate()), agent).problemType());

            // an anchor added to the file is picked up by the periodic refresh, without a restart
            X509Certificate laterSvid = TestCertificates.issuedBy(laterCa, laterKeys.getPrivate(), keys, agent.spiffeId());
            BrokerApi later = MtlsClient.of(accepting, vault, List.of(laterSvid), keys.getPrivate());
            assertEquals("client_certificate_untrusted", self(later, agent).problemType());
            Files.writeString(caFile, TestCertificates.pem(spireCa) + TestCertificates.pem(laterCa));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            BrokerApi.Response afterRefresh = self(later, agent);
            while (afterRefresh.status() != 200 && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
                afterRefresh = self(later, agent);
            }
            assertEquals(200, afterRefresh.status(), afterRefresh.raw());

            // revoking the agent in the broker refuses its external SVID too
            assertEquals(200, accepting.api().post("/api/v1/tenants/acme/agents/" + agent.agentId() + "/revoke", null,
                    vault.adminToken("acme")).status());
            assertEquals("client_certificate_revoked", self(later, agent).problemType());
        }
    }
}
