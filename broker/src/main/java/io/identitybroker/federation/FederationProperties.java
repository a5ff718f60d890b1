package io.identitybroker.federation;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * SPIFFE federation settings ({@code broker.federation.*}, e.g. {@code BROKER_FEDERATION_MAX_BUNDLE_AGE}).
 * The client authentication method names and the assertion type follow
 * draft-ietf-oauth-spiffe-client-auth and stay configurable until it is final.
 */
@ConfigurationProperties("broker.federation")
public class FederationProperties {
    /** A fetched bundle not refreshed successfully for longer than this is refused (invalid_client). Default 1 h. */
    private Duration maxBundleAge = Duration.ofHours(1);
    /** Refresh period when a bundle gives no spiffe_refresh_hint. Default 5 min. */
    private Duration defaultRefreshInterval = Duration.ofMinutes(5);
    /** Least refresh period, whatever the hint says (a hint of 0 or 1 s must not hammer the peer). Default 5 s. */
    private Duration minRefreshInterval = Duration.ofSeconds(5);
    /** Most refresh period, whatever the hint says. Default 1 h. */
    private Duration maxRefreshInterval = Duration.ofHours(1);
    /** Wait before retrying a failed fetch (doubling up to the refresh period). Default 10 s. */
    private Duration retryInterval = Duration.ofSeconds(10);
    /** Connect and read timeout of a bundle endpoint. Default 10 s. */
    private Duration fetchTimeout = Duration.ofSeconds(10);
    /** How often each replica re-reads the declared trust domains from the database. Default 30 s. */
    private Duration configSyncInterval = Duration.ofSeconds(30);
    /** Longest JWT-SVID lifetime (exp - iat) accepted as a client assertion. Default 1 h. */
    private Duration maxAssertionLifetime = Duration.ofHours(1);
    /** Token endpoint method name of the X.509-SVID over mTLS. */
    private String x509MethodName = "spiffe_x509";
    /** Token endpoint method name of the JWT-SVID client assertion. */
    private String jwtMethodName = "spiffe_jwt";
    /** {@code client_assertion_type} of a JWT-SVID. */
    private String jwtAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";

    /** {@code api} and/or {@code vault-kv} (env {@code BROKER_FEDERATION_SOURCE=api,vault-kv}). Default {@code api}. */
    private java.util.List<String> source = java.util.List.of("api");
    /** KV v2 mount of trust domain declarations. Default {@code identity-broker-kv}. */
    private String kvMount = "identity-broker-kv";
    /** Folder of the declarations inside the mount. Default {@code trust-domains}. */
    private String kvPath = "trust-domains";
    /** How often the declarations are re-read from Vault KV. Default 60 s. */
    private Duration kvSyncInterval = Duration.ofSeconds(60);

    public java.util.List<String> getSource() { return source; }
    public void setSource(java.util.List<String> source) { this.source = source; }
    public String getKvMount() { return kvMount; }
    public void setKvMount(String kvMount) { this.kvMount = kvMount; }
    public String getKvPath() { return kvPath; }
    public void setKvPath(String kvPath) { this.kvPath = kvPath; }
    public Duration getKvSyncInterval() { return kvSyncInterval; }
    public void setKvSyncInterval(Duration kvSyncInterval) { this.kvSyncInterval = kvSyncInterval; }

    boolean vaultKvEnabled() {
        return source.stream().anyMatch(s -> s.trim().equals(TrustDomainService.SOURCE_VAULT_KV));
    }

    public Duration getMaxBundleAge() { return maxBundleAge; }
    public void setMaxBundleAge(Duration maxBundleAge) { this.maxBundleAge = maxBundleAge; }
    public Duration getDefaultRefreshInterval() { return defaultRefreshInterval; }
    public void setDefaultRefreshInterval(Duration defaultRefreshInterval) { this.defaultRefreshInterval = defaultRefreshInterval; }
    public Duration getMinRefreshInterval() { return minRefreshInterval; }
    public void setMinRefreshInterval(Duration minRefreshInterval) { this.minRefreshInterval = minRefreshInterval; }
    public Duration getMaxRefreshInterval() { return maxRefreshInterval; }
    public void setMaxRefreshInterval(Duration maxRefreshInterval) { this.maxRefreshInterval = maxRefreshInterval; }
    public Duration getRetryInterval() { return retryInterval; }
    public void setRetryInterval(Duration retryInterval) { this.retryInterval = retryInterval; }
    public Duration getFetchTimeout() { return fetchTimeout; }
    public void setFetchTimeout(Duration fetchTimeout) { this.fetchTimeout = fetchTimeout; }
    public Duration getConfigSyncInterval() { return configSyncInterval; }
    public void setConfigSyncInterval(Duration configSyncInterval) { this.configSyncInterval = configSyncInterval; }
    public Duration getMaxAssertionLifetime() { return maxAssertionLifetime; }
    public void setMaxAssertionLifetime(Duration maxAssertionLifetime) { this.maxAssertionLifetime = maxAssertionLifetime; }
    public String getX509MethodName() { return x509MethodName; }
    public void setX509MethodName(String x509MethodName) { this.x509MethodName = x509MethodName; }
    public String getJwtMethodName() { return jwtMethodName; }
    public void setJwtMethodName(String jwtMethodName) { this.jwtMethodName = jwtMethodName; }
    public String getJwtAssertionType() { return jwtAssertionType; }
    public void setJwtAssertionType(String jwtAssertionType) { this.jwtAssertionType = jwtAssertionType; }

    /** The refresh period a bundle's hint asks for, clamped to [min, max]. */
    Duration refreshAfter(Duration hint) {
        Duration d = hint == null ? defaultRefreshInterval : hint;
        if (d.compareTo(minRefreshInterval) < 0) {
            return minRefreshInterval;
        }
        return d.compareTo(maxRefreshInterval) > 0 ? maxRefreshInterval : d;
    }
}
