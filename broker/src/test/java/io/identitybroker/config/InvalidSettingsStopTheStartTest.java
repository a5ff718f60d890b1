package io.identitybroker.config;

import io.identitybroker.testing.BrokerProcess;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One row per refused setting: the broker does not start, and the one line it prints names the
 * property, its environment variable, the rule and the value. The rows start an application
 * context in this JVM (a second or so each, no Vault: every row fails before Vault is asked);
 * two rows run the real process to show what an operator sees: that line alone, exit status 78.
 */
class InvalidSettingsStopTheStartTest {
    /** Nothing here is reachable: a row that passed validation would fail later, and visibly. */
    private static Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.ssl.enabled", false);
        p.put("micronaut.server.port", -1);
        p.put("broker.vault.address", "http://127.0.0.1:1");
        p.put("datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        return p;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            broker.admin.capability-cache-ttl      | 31s                      | broker.admin.capability-cache-ttl (BROKER_ADMIN_CAPABILITY_CACHE_TTL) must be at most 30s; got '31s'
            broker.admin.capability-cache-ttl      | -1s                      | broker.admin.capability-cache-ttl (BROKER_ADMIN_CAPABILITY_CACHE_TTL) must be at least 0s; got '-1s'
            broker.admin.vault-liveness-max-age    | 2s                       | broker.admin.vault-liveness-max-age (BROKER_ADMIN_VAULT_LIVENESS_MAX_AGE) must be at most 1s; got '2s'
            broker.rotation.grace                  | -5m                      | broker.rotation.grace (BROKER_ROTATION_GRACE) must be at least 0s; got '-5m'
            broker.rotation.sweep-interval         | 0s                       | broker.rotation.sweep-interval (BROKER_ROTATION_SWEEP_INTERVAL) must be at least 1ms; got '0s'
            broker.oauth.sign-batch-max-size       | 0                        | broker.oauth.sign-batch-max-size (BROKER_OAUTH_SIGN_BATCH_MAX_SIZE) must be greater than or equal to 1; got '0'
            broker.oauth.sign-batch-max-size       | 1001                     | broker.oauth.sign-batch-max-size (BROKER_OAUTH_SIGN_BATCH_MAX_SIZE) must be less than or equal to 1000; got '1001'
            broker.oauth.sign-max-concurrent-calls | 0                        | broker.oauth.sign-max-concurrent-calls (BROKER_OAUTH_SIGN_MAX_CONCURRENT_CALLS) must be greater than or equal to 1; got '0'
            broker.oauth.introspection-verified-tokens | -1                   | broker.oauth.introspection-verified-tokens (BROKER_OAUTH_INTROSPECTION_VERIFIED_TOKENS) must be greater than or equal to 0; got '-1'
            broker.oauth.access-token-ttl          | -10m                     | broker.oauth.access-token-ttl (BROKER_OAUTH_ACCESS_TOKEN_TTL) must be at least 1s; got '-10m'
            broker.oauth.issuer                    | localhost:8443           | broker.oauth.issuer (BROKER_ISSUER) must be an http:// or https:// URL; got 'localhost:8443'
            broker.enrollment.default-token-ttl    | -1h                      | broker.enrollment.default-token-ttl (BROKER_ENROLLMENT_DEFAULT_TOKEN_TTL) must be at least 1s; got '-1h'
            broker.enrollment.default-token-ttl    | 60d                      | broker.enrollment.default-token-ttl (BROKER_ENROLLMENT_DEFAULT_TOKEN_TTL) must not exceed broker.enrollment.max-token-ttl (30d); got '60d'
            broker.jwt-svid.ttl                    | 2h                       | broker.jwt-svid.ttl (BROKER_JWT_SVID_TTL) must not exceed broker.jwt-svid.max-ttl (1h); got '2h'
            broker.federation.min-refresh-interval | 2h                       | broker.federation.min-refresh-interval (BROKER_FEDERATION_MIN_REFRESH_INTERVAL) must not exceed broker.federation.max-refresh-interval (1h); got '2h'
            broker.federation.default-refresh-interval | 1s                   | broker.federation.min-refresh-interval (BROKER_FEDERATION_MIN_REFRESH_INTERVAL) must not exceed broker.federation.default-refresh-interval (1s); got '5s'
            broker.issuance.max-certificates-read  | 0                        | broker.issuance.max-certificates-read (BROKER_ISSUANCE_MAX_CERTIFICATES_READ) must be greater than or equal to 1; got '0'
            broker.issuance.reconcile-interval     | 0s                       | broker.issuance.reconcile-interval (BROKER_ISSUANCE_RECONCILE_INTERVAL) must be at least 1ms; got '0s'
            broker.metrics.audit-tail-events       | 0                        | broker.metrics.audit-tail-events (BROKER_METRICS_AUDIT_TAIL_EVENTS) must be greater than or equal to 1; got '0'
            broker.metrics.vault-probe-interval    | -15s                     | broker.metrics.vault-probe-interval (BROKER_METRICS_VAULT_PROBE_INTERVAL) must be at least 1ms; got '-15s'
            broker.http.request-header-timeout     | 50ms                     | broker.http.request-header-timeout (BROKER_HTTP_REQUEST_HEADER_TIMEOUT) must be at least 100ms; got '50ms'
            broker.agent.mtls.trusted-proxies      | "10.0.0.0/8,proxy.local" | broker.agent.mtls.trusted-proxies (BROKER_AGENT_MTLS_TRUSTED_PROXIES) must list IP addresses or CIDR blocks (e.g. 10.0.0.0/8, fd00::/8); got 'proxy.local'
            broker.agent.mtls.trusted-proxies      | 10.0.0.0/33              | broker.agent.mtls.trusted-proxies (BROKER_AGENT_MTLS_TRUSTED_PROXIES) must list IP addresses or CIDR blocks (e.g. 10.0.0.0/8, fd00::/8); got '10.0.0.0/33'
            broker.agent.mtls.ca-file              | /nonexistent/ca.pem      | broker.agent.mtls.ca-file (BROKER_AGENT_MTLS_CA_FILE) must name a readable file; got '/nonexistent/ca.pem'
            broker.agent.mtls.proxy-header         | X-Client-Cert            | broker.agent.mtls.proxy-header (BROKER_AGENT_MTLS_PROXY_HEADER) must be X-Forwarded-Client-Cert or Client-Cert; got 'X-Client-Cert'
            broker.agent.mtls.max-chain-length     | 0                        | broker.agent.mtls.max-chain-length (BROKER_AGENT_MTLS_MAX_CHAIN_LENGTH) must be greater than or equal to 1; got '0'
            broker.tenants.source                  | "api,vault_kv"           | broker.tenants.source (BROKER_TENANTS_SOURCE) must list api and/or vault-kv; got 'vault_kv'
            broker.federation.min-refresh-interval | 0s                       | broker.federation.min-refresh-interval (BROKER_FEDERATION_MIN_REFRESH_INTERVAL) must be at least 1ms; got '0s'
            broker.spiffe.bundle.refresh-hint      | 0s                       | broker.spiffe.bundle.refresh-hint (BROKER_SPIFFE_BUNDLE_REFRESH_HINT) must be at least 1s; got '0s'
            broker.vault.address                   | 127.0.0.1:8200           | broker.vault.address (VAULT_ADDR) must be an http:// or https:// URL; got '127.0.0.1:8200'
            broker.vault.read-timeout              | 500ms                    | broker.vault.read-timeout (BROKER_VAULT_READ_TIMEOUT) must be at least 1s; got '500ms'
            broker.vault.ca-cert                   | /nonexistent/vault.pem   | broker.vault.ca-cert (VAULT_CACERT) must name a readable file; got '/nonexistent/vault.pem'
            broker.jwt-svid.transit-key            | identity-broker-jwt      | broker.jwt-svid.transit-key (BROKER_JWT_SVID_TRANSIT_KEY) must differ from broker.oauth.transit-key (a JWT-SVID key that verifies access tokens would make the two interchangeable); got 'identity-broker-jwt'
            datasources.default.url                | jdbc:h2:mem:plain        | datasources.default.url (BROKER_DB_URL) must set MODE=PostgreSQL when it is an H2 URL
            """)
    void aRefusedSettingStopsTheStartWithOneLineNamingItAndItsRule(String property, String value, String expected) {
        Map<String, Object> properties = base();
        properties.put(property, value);
        ApplicationContext context = ApplicationContext.builder().properties(properties).build();
        try {
            context.start();
            context.close();
            fail(property + "=" + value + " started");
        } catch (RuntimeException refused) {
            assertEquals(StartupFailure.PREFIX + expected, StartupFailure.line(refused, context.getEnvironment()).orElseThrow(
                    () -> new AssertionError("no configuration line for", refused)));
        }
    }

    @Test
    void theProcessPrintsTheLineAloneAndExitsWithStatus78() {
        Map<String, Object> properties = base();
        properties.put("broker.oauth.sign-batch-max-size", 0);
        assertRefused(BrokerProcess.runUntilExit(properties),
                "Refusing to start: broker.oauth.sign-batch-max-size (BROKER_OAUTH_SIGN_BATCH_MAX_SIZE) must be greater than or equal to 1; got '0'");
    }

    @Test
    void anUnreadableTlsKeyFileStopsTheProcessBeforeAnyJobStarts() throws Exception {
        Path cert = Files.createTempFile("broker-cert-", ".pem");
        Map<String, Object> properties = base();
        properties.put("micronaut.server.ssl.enabled", true);
        properties.put("micronaut.server.ssl.port", -1);
        properties.put("micronaut.server.ssl.key-store.key-path", "file:/nonexistent/broker-key.pem");
        properties.put("micronaut.server.ssl.key-store.certificate-path", "file:" + cert);
        assertRefused(BrokerProcess.runUntilExit(properties), "Refusing to start: micronaut.server.ssl.key-store.key-path"
                + " (BROKER_TLS_KEY_FILE) must name a readable PEM file; got '/nonexistent/broker-key.pem'");
    }

    private static void assertRefused(BrokerProcess.Exit exit, String line) {
        assertEquals(78, exit.status(), exit.output());
        List<String> logged = exit.output().lines().filter(l -> !l.isBlank() && !l.matches("[ _|].*")).toList(); // not the banner
        assertEquals(1, logged.size(), exit.output());
        assertTrue(logged.get(0).contains(" ERROR ") && logged.get(0).endsWith(line), exit.output());
        assertFalse(exit.output().contains("\tat "), "no stack trace: " + exit.output());
    }
}
