package io.identitybroker.spiffe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.oauth.EcJwk;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.TestCertificates;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /spiffe/bundles/{trust_domain}} against the real Vault: the roots are the tenants' own
 * (compared with Vault's ca_chain), the jwt-svid keys are transit's, and the sequence moves exactly
 * when the content does, on a second replica too.
 */
class TrustBundleTest extends BrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected List<String> tenants() {
        return List.of("acme", "globex");
    }

    private BrokerApi.Response get(String trustDomain, Map<String, String> headers) {
        return api.send("GET", "/spiffe/bundles/" + trustDomain, null, null, headers);
    }

    private JsonNode bundle(String trustDomain) {
        BrokerApi.Response r = get(trustDomain, Map.of());
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    /** The last certificate of the mount's ca_chain, as Vault answers it. */
    private X509Certificate vaultRoot(String mount) {
        List<X509Certificate> chain = TestCertificates.parseAll(
                vault.request("GET", mount + "/cert/ca_chain", null).path("data").path("ca_chain").asText());
        return chain.get(chain.size() - 1);
    }

    private static List<X509Certificate> x509Authorities(JsonNode bundle) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (JsonNode k : bundle.path("keys")) {
            if ("x509-svid".equals(k.path("use").asText())) {
                assertEquals(1, k.path("x5c").size(), k.toString());
                X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(k.path("x5c").get(0).asText())));
                // The JWK's key members are the certificate's key.
                if (c.getPublicKey() instanceof ECPublicKey ec) {
                    assertEquals("EC", k.path("kty").asText());
                    assertEquals(ec.getW().getAffineX(), new BigInteger(1, Base64.getUrlDecoder().decode(k.path("x").asText())));
                    assertEquals(ec.getW().getAffineY(), new BigInteger(1, Base64.getUrlDecoder().decode(k.path("y").asText())));
                } else {
                    RSAPublicKey rsa = (RSAPublicKey) c.getPublicKey();
                    assertEquals("RSA", k.path("kty").asText());
                    assertEquals(rsa.getModulus(), new BigInteger(1, Base64.getUrlDecoder().decode(k.path("n").asText())));
                    assertEquals(rsa.getPublicExponent(), new BigInteger(1, Base64.getUrlDecoder().decode(k.path("e").asText())));
                }
                out.add(c);
            }
        }
        return out;
    }

    /** A PKI mount of its own root (EC or RSA) with an agent role, as an operator would make one. */
    private String mountWithOwnRoot(String keyType) {
        String mount = "pki-tenants/bt" + UUID.randomUUID().toString().substring(0, 8);
        vault.request("POST", "sys/mounts/" + mount, Map.of("type", "pki", "config", Map.of("max_lease_ttl", "87600h")));
        vault.request("POST", mount + "/root/generate/internal", Map.of("common_name", "Bundle Test Root " + mount,
                "key_type", keyType, "key_bits", keyType.equals("rsa") ? 2048 : 256, "ttl", "8760h"));
        vault.request("POST", mount + "/roles/agent", Map.of("allowed_uri_sans", "spiffe://*", "use_csr_sans", false,
                "use_csr_common_name", false, "key_type", "any", "ttl", "1h"));
        return mount;
    }

    private void tenant(String id, String trustDomain, String mount) {
        BrokerApi.Response r = api.post("/api/v1/tenants", Map.of("id", id, "trust_domain", trustDomain, "pki_mount", mount),
                vault.platformAdminToken());
        assertEquals(201, r.status(), r.raw());
    }

    private long sequence(BrokerInstance b, String trustDomain) {
        b.context().getBean(TrustBundles.class).refresh(true);
        BrokerApi.Response r = b.api().get("/spiffe/bundles/" + trustDomain, null);
        assertEquals(200, r.status(), r.raw());
        return r.body().path("spiffe_sequence").asLong();
    }

    /** A second broker on this test's database: another replica. */
    private Map<String, Object> sameDatabase() {
        Map<String, Object> properties = new java.util.HashMap<>();
        for (String p : List.of("url", "username", "password")) {
            broker.context().getProperty("datasources.default." + p, String.class)
                    .ifPresent(v -> properties.put("datasources.default." + p, v));
        }
        return properties;
    }

    @Test
    void theBundleHoldsEachDistinctTenantRootAndTheJwtSvidKeysOfTransit() throws Exception {
        BrokerApi.Response r = get(vault.trustDomain(), Map.of());
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        assertTrue(r.header("Cache-Control").contains("max-age"), r.header("Cache-Control"));
        JsonNode bundle = r.body();
        assertEquals(300, bundle.path("spiffe_refresh_hint").asLong());
        assertTrue(bundle.path("spiffe_sequence").asLong() > 1_700_000_000L, "starts from the time: " + bundle);

        // acme and globex chain to the same dev root: one x509 authority, Vault's own root.
        List<X509Certificate> roots = x509Authorities(bundle);
        assertEquals(new HashSet<>(List.of(vaultRoot("pki-tenants/acme"), vaultRoot("pki-tenants/globex"))), new HashSet<>(roots));
        assertEquals(1, roots.size());
        assertEquals(roots.get(0).getSubjectX500Principal(), roots.get(0).getIssuerX500Principal(), "self-signed root");

        JsonNode transit = vault.request("GET", "transit/keys/identity-broker-jwt-svid", null).path("data");
        int latest = transit.path("latest_version").asInt();
        ECPublicKey expected = EcJwk.fromPem(transit.path("keys").path(String.valueOf(latest)).path("public_key").asText());
        JsonNode jwt = null;
        for (JsonNode k : bundle.path("keys")) {
            if ("jwt-svid".equals(k.path("use").asText()) && k.path("kid").asText().equals("identity-broker-jwt-svid-v" + latest)) {
                jwt = k;
            }
        }
        assertTrue(jwt != null, bundle.toString());
        assertEquals("EC", jwt.path("kty").asText());
        assertEquals("P-256", jwt.path("crv").asText());
        assertEquals(expected.getW().getAffineX(), new BigInteger(1, Base64.getUrlDecoder().decode(jwt.path("x").asText())));
        for (JsonNode k : bundle.path("keys")) {
            assertFalse(k.path("kid").asText().matches("identity-broker-jwt-v[0-9]+"), "no access-token key: " + k);
        }
    }

    @Test
    void withAcceptPemTheRootsComeAsPemAndAnUnknownTrustDomainIs404() throws Exception {
        BrokerApi.Response pem = get(vault.trustDomain(), Map.of("Accept", "application/x-pem-file"));
        assertEquals(200, pem.status(), pem.raw());
        assertTrue(pem.header("Content-Type").startsWith("application/x-pem-file"), pem.header("Content-Type"));
        List<X509Certificate> roots = new ArrayList<>();
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.raw().getBytes(StandardCharsets.US_ASCII)))
                .forEach(c -> roots.add((X509Certificate) c));
        assertEquals(x509Authorities(bundle(vault.trustDomain())), roots);

        for (String td : List.of("nobody.example", "UPPER.example", "a%2Fb")) {
            BrokerApi.Response r = get(td, Map.of());
            assertEquals(404, r.status(), td + " " + r.raw());
            assertEquals("trust_domain_not_found", r.problemType(), td);
            assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.header("Content-Type"));
        }
    }

    @Test
    void theSequenceGrowsExactlyWhenTheContentChangesAndAReplicaOnTheSameDatabaseAgrees() throws Exception {
        String td = "seq-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String ownRoot = mountWithOwnRoot("ec");
        String rsaRoot = mountWithOwnRoot("rsa");
        tenant("seq-a", td, ownRoot);
        long first = sequence(broker, td);
        assertEquals(first, sequence(broker, td), "nothing changed: the same number");

        tenant("seq-b", td, rsaRoot); // a second root joins
        long second = sequence(broker, td);
        assertTrue(second > first, first + " -> " + second);
        assertEquals(Set.of(vaultRoot(ownRoot), vaultRoot(rsaRoot)), new HashSet<>(x509Authorities(bundle(td))));

        tenant("seq-c", td, ownRoot); // a tenant under a root already there: same content
        assertEquals(second, sequence(broker, td));

        try (BrokerInstance replica = BrokerInstance.start(vault, sameDatabase())) {
            assertEquals(second, sequence(replica, td), "another replica serves the same number for the same content");

            BrokerApi.Response suspended = api.send("PATCH", "/api/v1/tenants/seq-b", Map.of("status", "suspended"),
                    vault.platformAdminToken(), Map.of());
            assertEquals(200, suspended.status(), suspended.raw());
            // No explicit refresh: the committed change alone republishes the bundle.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (x509Authorities(bundle(td)).size() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long third = sequence(broker, td);
            assertTrue(third > second, second + " -> " + third);
            assertEquals(List.of(vaultRoot(ownRoot)), x509Authorities(bundle(td)), "a suspended tenant's root leaves");
            assertEquals(third, sequence(replica, td), "the replica reads the same number for the same content");
        }

        for (String t : List.of("seq-a", "seq-c")) {
            api.send("PATCH", "/api/v1/tenants/" + t, Map.of("status", "suspended"), vault.platformAdminToken(), Map.of());
        }
        broker.context().getBean(TrustBundles.class).refresh(true);
        assertEquals(404, get(td, Map.of()).status(), "no active tenant left in the trust domain");
    }

    @Test
    void afterAKeyRotationTheNextJwtSvidCarriesTheNewKidAndTheBundlePublishesItWithoutARefreshCall() throws Exception {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        long before = sequence(broker, vault.trustDomain());
        vault.request("POST", "transit/keys/identity-broker-jwt-svid/rotate", null);
        int latest = vault.request("GET", "transit/keys/identity-broker-jwt-svid", null).path("data").path("latest_version").asInt();

        BrokerApi.Response issued = agent.mtls(broker, vault).send("POST", agent.path() + "/jwt-svids",
                Map.of("audience", List.of("a")), null, agent.basic());
        assertEquals(200, issued.status(), issued.raw());
        String header = new String(Base64.getUrlDecoder().decode(issued.body().path("token").asText().split("\\.")[0]),
                StandardCharsets.UTF_8);
        assertTrue(header.contains("\"kid\":\"identity-broker-jwt-svid-v" + latest + "\""), header);

        // The signer learnt the new version; the next bundle requests see it published.
        List<String> kids = new ArrayList<>();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!kids.contains("identity-broker-jwt-svid-v" + latest) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            kids.clear();
            bundle(vault.trustDomain()).path("keys").forEach(k -> kids.add(k.path("kid").asText()));
        }
        assertTrue(kids.contains("identity-broker-jwt-svid-v" + latest) && kids.contains("identity-broker-jwt-svid-v" + (latest - 1)),
                kids.toString());
        assertTrue(bundle(vault.trustDomain()).path("spiffe_sequence").asLong() > before);
    }

    @Test
    void aChainVaultNoLongerGivesKeepsItsRootHereAndIsLeftOutByAReplicaThatNeverReadIt() throws Exception {
        String td = "gone-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String doomed = mountWithOwnRoot("ec");
        tenant("gone-a", td, doomed);
        tenant("gone-b", td, "pki-tenants/acme");
        long sequence = sequence(broker, td);
        assertEquals(2, x509Authorities(bundle(td)).size());

        vault.request("DELETE", "sys/mounts/" + doomed, null);
        assertEquals(sequence, sequence(broker, td), "a failed read keeps the chain last read");
        assertEquals(2, x509Authorities(bundle(td)).size());
        try (BrokerInstance replica = BrokerInstance.start(vault, sameDatabase())) {
            long partial = sequence(replica, td);
            assertTrue(partial > sequence, sequence + " -> " + partial);
            JsonNode served = replica.api().get("/spiffe/bundles/" + td, null).body();
            assertEquals(List.of(vaultRoot("pki-tenants/acme")), x509Authorities(served), "only the roots it could read");
        }
    }
}
