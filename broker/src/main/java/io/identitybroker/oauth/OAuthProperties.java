package io.identitybroker.oauth;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * OAuth2 settings ({@code broker.oauth.*}); each is also an environment variable by Micronaut's
 * mapping, e.g. {@code BROKER_OAUTH_ACCESS_TOKEN_TTL}. The issuer comes from {@code BROKER_ISSUER}.
 */
@ConfigurationProperties("broker.oauth")
public class OAuthProperties {
    /** The issuer URL (RFC 8414); endpoints are published under it. Default {@code https://localhost:8443}. */
    private String issuer = "https://localhost:8443";
    /** Lifetime of access tokens. Default 10 minutes. */
    private Duration accessTokenTtl = Duration.ofMinutes(10);
    /** Audience per tenant id ({@code broker.oauth.tenant-audiences.<tenant>}); default the issuer. */
    private Map<String, String> tenantAudiences = new HashMap<>();
    /** Transit mount that holds the signing key. Default {@code transit}. */
    private String transitMount = "transit";
    /** Transit key name. Default {@code identity-broker-jwt}. */
    private String transitKey = "identity-broker-jwt";
    /** How often the public keys are re-read from Vault. Default 60 s. */
    private Duration keyRefreshInterval = Duration.ofSeconds(60);
    /** Least time between two reads caused by an unknown {@code kid}. Default 5 s. */
    private Duration keyRefreshMinInterval = Duration.ofSeconds(5);
    /** Most signatures in one {@code transit/sign} batch. Default 64. */
    private int signBatchMaxSize = 64;
    /** How long a batch waits to fill once requests are queuing. Default 2 ms. */
    private Duration signBatchMaxWait = Duration.ofMillis(2);
    /** Most {@code transit/sign} calls in flight at once. Default 4. */
    private int signMaxConcurrentCalls = 4;
    /**
     * Tokens whose signature introspection remembers as verified (by SHA-256), so a token asked
     * about again skips ES256 verification; binding, agent and tenant status are still read every
     * time. 0 turns it off. Default 10,000 (about 3 MiB).
     */
    private int introspectionVerifiedTokens = 10_000;

    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer; }
    public Duration getAccessTokenTtl() { return accessTokenTtl; }
    public void setAccessTokenTtl(Duration accessTokenTtl) { this.accessTokenTtl = accessTokenTtl; }
    public Map<String, String> getTenantAudiences() { return tenantAudiences; }
    public void setTenantAudiences(Map<String, String> tenantAudiences) { this.tenantAudiences = tenantAudiences; }
    public String getTransitMount() { return transitMount; }
    public void setTransitMount(String transitMount) { this.transitMount = transitMount; }
    public String getTransitKey() { return transitKey; }
    public void setTransitKey(String transitKey) { this.transitKey = transitKey; }
    public Duration getKeyRefreshInterval() { return keyRefreshInterval; }
    public void setKeyRefreshInterval(Duration keyRefreshInterval) { this.keyRefreshInterval = keyRefreshInterval; }
    public Duration getKeyRefreshMinInterval() { return keyRefreshMinInterval; }
    public void setKeyRefreshMinInterval(Duration keyRefreshMinInterval) { this.keyRefreshMinInterval = keyRefreshMinInterval; }
    public int getSignBatchMaxSize() { return signBatchMaxSize; }
    public void setSignBatchMaxSize(int signBatchMaxSize) { this.signBatchMaxSize = Math.max(1, Math.min(1000, signBatchMaxSize)); }
    public Duration getSignBatchMaxWait() { return signBatchMaxWait; }
    public void setSignBatchMaxWait(Duration signBatchMaxWait) { this.signBatchMaxWait = signBatchMaxWait; }
    public int getSignMaxConcurrentCalls() { return signMaxConcurrentCalls; }
    public void setSignMaxConcurrentCalls(int signMaxConcurrentCalls) { this.signMaxConcurrentCalls = Math.max(1, signMaxConcurrentCalls); }

    /** The access-token signing key with its refresh and batching settings. */
    public TransitKeySettings accessTokenKey() {
        return new TransitKeySettings(transitMount, transitKey, keyRefreshMinInterval, signBatchMaxSize, signBatchMaxWait,
                signMaxConcurrentCalls, "token signing", "broker.oauth.transit");
    }

    /** The {@code aud} of tokens for a tenant. */
    public String audienceFor(String tenant) {
        return tenantAudiences.getOrDefault(tenant, issuer);
    }

    public int getIntrospectionVerifiedTokens() { return introspectionVerifiedTokens; }
    public void setIntrospectionVerifiedTokens(int introspectionVerifiedTokens) { this.introspectionVerifiedTokens = Math.max(0, introspectionVerifiedTokens); }
}
