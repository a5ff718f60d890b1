package io.identitybroker.oauth;

import java.time.Duration;
import java.util.Map;

/**
 * OAuth2 settings ({@value OAuthConfigurationProperties#PREFIX}.*); each is also an environment variable by Micronaut's
 * mapping, e.g. {@code BROKER_OAUTH_ACCESS_TOKEN_TTL}. The issuer comes from {@code BROKER_ISSUER}.
 */
public interface OAuthConfiguration {
    /** The issuer URL (RFC 8414), without a trailing slash; endpoints are published under it. */
    String getIssuer();

    /** Lifetime of access tokens. */
    Duration getAccessTokenTtl();

    /** Audience per tenant id ({@code broker.oauth.tenant-audiences.<tenant>}); default the issuer. */
    Map<String, String> getTenantAudiences();

    /** Transit mount that holds the signing key. */
    String getTransitMount();

    /** Transit key name. */
    String getTransitKey();

    /** How often the public keys are re-read from Vault. */
    Duration getKeyRefreshInterval();

    /** Least time between two reads caused by an unknown {@code kid}. */
    Duration getKeyRefreshMinInterval();

    /** Most signatures in one {@code transit/sign} batch. */
    int getSignBatchMaxSize();

    /** How long a batch waits to fill once requests are queuing. */
    Duration getSignBatchMaxWait();

    /** Most {@code transit/sign} calls in flight at once. */
    int getSignMaxConcurrentCalls();

    /**
     * Tokens whose signature introspection remembers as verified (by SHA-256), so a token asked
     * about again skips ES256 verification; binding, agent and tenant status are still read every
     * time. 0 turns it off.
     */
    int getIntrospectionVerifiedTokens();

    /** The access-token signing key with its refresh and batching settings. */
    default TransitKeySettings accessTokenKey() {
        return new TransitKeySettings(getTransitMount(), getTransitKey(), getKeyRefreshMinInterval(), getSignBatchMaxSize(),
                getSignBatchMaxWait(), getSignMaxConcurrentCalls(), "token signing", "broker.oauth.transit");
    }

    /** The {@code aud} of tokens for a tenant. */
    default String audienceFor(String tenant) {
        return getTenantAudiences().getOrDefault(tenant, getIssuer());
    }
}
