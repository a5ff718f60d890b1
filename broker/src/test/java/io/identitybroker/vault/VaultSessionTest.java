package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.LogCapture;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker's own Vault login survives token expiry: renewal, then a fresh login at max TTL. */
@ExtendWith(VaultExtension.class)
class VaultSessionTest {

    @Test
    void brokerKeepsEnrollingAcrossSeveralTokenLifetimes(TestVault vault) throws Exception {
        Map<String, Object> login = appRoleLogin(vault, "ib-short-ttl", Map.of("token_ttl", "3s", "token_max_ttl", "7s"));
        try (LogCapture logs = new LogCapture();
             BrokerInstance broker = BrokerInstance.start(vault, login)) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            long end = System.nanoTime() + 20_000_000_000L; // about three max TTLs, six TTLs
            int enrolled = 0;
            while (System.nanoTime() < end) {
                BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem());
                assertEquals(200, r.status(), "after " + enrolled + " enrollments: " + r.raw());
                enrolled++;
                Thread.sleep(700);
            }
            assertTrue(enrolled >= 15, "enrolled " + enrolled);
            assertEquals(enrolled, broker.count("SELECT count(*) FROM agents"));
            String log = logs.text();
            long logins = log.lines().filter(l -> l.contains("Logged in to Vault with AppRole")).count();
            long renewals = log.lines().filter(l -> l.contains("Renewed the broker's Vault token")).count();
            assertTrue(renewals >= 3, "tokens are renewed before expiry: " + renewals);
            assertTrue(logins >= 2 && logins <= 6, "a fresh login only at max TTL, never a loop: " + logins);
        }
    }

    @Test
    void whenVaultRevokesTheBrokersTokenThenTheNextSignLogsInAgainAndSucceeds(TestVault vault) throws Exception {
        Map<String, Object> login = appRoleLogin(vault, "ib-revoked", Map.of("token_ttl", "1h"));
        try (LogCapture logs = new LogCapture();
             BrokerInstance broker = BrokerInstance.start(vault, login)) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            assertEquals(200, fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem()).status());
            int revoked = 0;
            for (JsonNode accessor : vault.request("LIST", "auth/token/accessors", null).path("data").path("keys")) {
                JsonNode token = vault.request("POST", "auth/token/lookup-accessor", Map.of("accessor", accessor.asText()));
                if ("ib-revoked".equals(token.path("data").path("meta").path("role_name").asText())) {
                    vault.request("POST", "auth/token/revoke-accessor", Map.of("accessor", accessor.asText()));
                    revoked++;
                }
            }
            assertEquals(1, revoked, "the broker holds one token of its AppRole");

            BrokerApi.Response r = fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem());

            assertEquals(200, r.status(), r.raw());
            assertEquals(2, broker.count("SELECT count(*) FROM agents"));
            assertEquals(2, logs.text().lines().filter(l -> l.contains("Logged in to Vault with AppRole")).count(),
                    "Vault's 403 on the sign call made the broker log in once more");
        }
    }

    @Test
    void aResponseWrappedSecretIdIsUnwrappedOnceAtStart(TestVault vault) throws Exception {
        TestVault.Answer wrapped = vault.requestAsWithHeaders(vault.rootToken(), "POST",
                "auth/approle/role/identity-broker/secret-id", Map.of(), Map.of("X-Vault-Wrap-TTL", "120s"));
        String wrappingToken = wrapped.body().path("wrap_info").path("token").asText();
        assertTrue(!wrappingToken.isEmpty(), wrapped.body().toString());
        Path file = Files.createTempFile("wrapped-secret-id", "");
        Files.writeString(file, wrappingToken);
        try (LogCapture logs = new LogCapture();
             BrokerInstance broker = BrokerInstance.start(vault, Map.of(
                     "broker.vault.approle-secret-id-file", file.toString(),
                     "broker.vault.approle-secret-id-wrapped", true))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            assertEquals(200, fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem()).status());
            assertTrue(logs.text().contains("Unwrapped the AppRole secret id"));
            assertTrue(!logs.text().contains(wrappingToken));
        }
        // The wrapping token is spent: nobody else can obtain the secret id from it.
        assertEquals(400, vault.requestAs(wrappingToken, "POST", "sys/wrapping/unwrap", Map.of()).status());
    }

    /** An AppRole {@code role} on the broker's policy with these token settings, and the broker settings that log in with it. */
    private static Map<String, Object> appRoleLogin(TestVault vault, String role, Map<String, Object> tokenSettings) throws Exception {
        Map<String, Object> settings = new HashMap<>(tokenSettings);
        settings.put("token_policies", List.of("identity-broker"));
        settings.put("secret_id_ttl", "0");
        vault.request("POST", "auth/approle/role/" + role, settings);
        String roleId = vault.request("GET", "auth/approle/role/" + role + "/role-id", null).path("data").path("role_id").asText();
        String secretId = vault.request("POST", "auth/approle/role/" + role + "/secret-id", Map.of())
                .path("data").path("secret_id").asText();
        Path secretFile = Files.createTempFile(role + "-secret-id", "");
        Files.writeString(secretFile, secretId);
        return Map.of("broker.vault.approle-role-id", roleId, "broker.vault.approle-secret-id-file", secretFile.toString());
    }
}
