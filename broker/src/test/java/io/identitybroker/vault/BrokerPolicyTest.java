package io.identitybroker.vault;

import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * vault-policies/identity-broker.hcl grants exactly what the broker does: proven with a token
 * holding only that policy (the broker's AppRole login), against the real server.
 */
@ExtendWith(VaultExtension.class)
class BrokerPolicyTest {
    private static TestVault vault;
    private static String token;

    @BeforeAll
    static void login(TestVault testVault) {
        vault = testVault;
        token = vault.brokerToken();
        List<String> policies = new ArrayList<>();
        vault.requestAs(token, "GET", "auth/token/lookup-self", null).body().path("data").path("policies")
                .forEach(p -> policies.add(p.asText()));
        assertEquals(List.of("default", "identity-broker"), policies.stream().sorted().toList());
    }

    @Test
    void everyOperationTheBrokerPerformsIsAllowed() {
        String spiffe = "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/policy-test";
        TestVault.Answer signed = vault.requestAs(token, "POST", "pki-tenants/acme/sign/agent",
                Map.of("csr", Csrs.p256().pem(), "uri_sans", spiffe));
        assertEquals(200, signed.status(), signed.body().toString());
        String serial = signed.body().path("data").path("serial_number").asText();

        assertAllowed("POST", "pki-tenants/acme/revoke", Map.of("serial_number", serial));
        assertAllowed("GET", "pki-tenants/acme/cert/ca_chain", null);
        assertAllowed("GET", "pki-tenants/globex/cert/ca_chain", null);
        assertAllowed("GET", "pki-tenants/acme/crl/pem", null);
        assertAllowed("GET", "pki-tenants/acme/config/urls", null);
        assertAllowed("GET", "pki-tenants/acme/roles/agent", null);
        assertAllowed("POST", "transit/sign/identity-broker-jwt",
                Map.of("input", Base64.getEncoder().encodeToString("payload".getBytes()), "marshaling_algorithm", "jws"));
        assertAllowed("GET", "transit/keys/identity-broker-jwt", null);
        assertAllowed("POST", "transit/sign/identity-broker-jwt-svid/sha2-256",
                Map.of("input", Base64.getEncoder().encodeToString("payload".getBytes()), "marshaling_algorithm", "jws"));
        assertAllowed("GET", "transit/keys/identity-broker-jwt-svid", null);
        assertAllowed("GET", "auth/token/lookup-self", null);
        assertAllowed("POST", "auth/token/renew-self", Map.of());
    }

    @Test
    void dangerousOperationsAreRefusedByVault() {
        String csr = Csrs.p256().pem();
        String spiffe = "spiffe://" + vault.trustDomain() + "/tenant/acme/agent/x";
        Map<String, Map<String, Object>> forbidden = new java.util.LinkedHashMap<>();
        forbidden.put("POST pki-tenants/acme/issue/agent", Map.of("uri_sans", spiffe));           // server-side key generation
        forbidden.put("POST pki-tenants/acme/sign-verbatim", Map.of("csr", csr));                   // identity from the CSR
        forbidden.put("POST pki-tenants/acme/sign-verbatim/agent", Map.of("csr", csr));
        forbidden.put("POST pki-tenants/acme/sign/other-role", Map.of("csr", csr, "uri_sans", spiffe));
        forbidden.put("POST pki-root/sign/broker-server", Map.of("csr", csr, "common_name", "localhost"));
        forbidden.put("POST pki-root/root/sign-intermediate", Map.of("csr", csr));
        forbidden.put("POST pki-tenants/acme/root/generate/internal", Map.of("common_name", "evil"));
        forbidden.put("POST pki-tenants/acme/intermediate/generate/exported", Map.of("common_name", "evil"));
        forbidden.put("POST pki-tenants/acme/issuers/import/bundle", Map.of("pem_bundle", csr));
        forbidden.put("GET pki-tenants/acme/keys", null);
        forbidden.put("GET pki-tenants/acme/key/default", null);
        forbidden.put("POST pki-tenants/acme/roles/agent", Map.of("allow_any_name", true));
        forbidden.put("POST sys/policy/identity-broker", Map.of("policy", "path \"*\" { capabilities = [\"sudo\"] }"));
        forbidden.put("POST sys/mounts/evil", Map.of("type", "pki"));
        forbidden.put("GET transit/export/signing-key/identity-broker-jwt", null);
        forbidden.put("POST transit/keys/identity-broker-jwt/rotate", Map.of());
        forbidden.put("POST transit/keys/identity-broker-jwt/config", Map.of("exportable", true));
        forbidden.put("GET transit/export/signing-key/identity-broker-jwt-svid", null);
        forbidden.put("POST transit/keys/identity-broker-jwt-svid/rotate", Map.of());
        forbidden.put("POST transit/keys/identity-broker-jwt-svid/config", Map.of("deletion_allowed", true));
        forbidden.put("POST transit/verify/identity-broker-jwt-svid", Map.of("input", "eA==", "signature", "vault:v1:eA=="));
        forbidden.put("POST transit/keys/identity-broker-jwt-svid-evil", Map.of("type", "ecdsa-p256")); // no new keys by prefix
        forbidden.put("POST transit/sign/identity-broker-jwt-svid-evil", Map.of("input", "eA=="));
        forbidden.put("GET secret/data/anything", null);                                        // other secrets
        forbidden.put("GET identity/entity/name/acme-admin", null);
        forbidden.put("POST auth/token/create", Map.of("policies", List.of("platform-admin")));
        forbidden.put("GET auth/approle/role/identity-broker/role-id", null);
        for (var entry : forbidden.entrySet()) {
            String[] parts = entry.getKey().split(" ", 2);
            TestVault.Answer a = vault.requestAs(token, parts[0], parts[1], entry.getValue());
            assertEquals(403, a.status(),
                    entry.getKey() + " should be forbidden: " + a.body());
        }
        assertEquals(200, vault.requestAs(vault.rootToken(), "GET", "transit/keys/identity-broker-jwt", null).status(),
                "sanity: the paths exist, so the 403s are the policy's");
        assertEquals(200, vault.requestAs(vault.rootToken(), "GET", "transit/keys/identity-broker-jwt-svid", null).status());
    }

    private static void assertAllowed(String method, String path, Map<String, Object> body) {
        TestVault.Answer a = vault.requestAs(token, method, path, body);
        assertTrue(a.status() == 200 || a.status() == 204, method + " " + path + " -> " + a.status() + " " + a.body());
    }
}
