package io.identitybroker.spiffe;

import io.identitybroker.oauth.OAuthProperties;
import io.identitybroker.oauth.TransitKeySettings;
import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * JWT-SVID settings ({@code broker.jwt-svid.*}, e.g. {@code BROKER_JWT_SVID_TTL}). The transit key
 * must not be the access-token key: the broker refuses to start when both name the same key.
 */
@ConfigurationProperties("broker.jwt-svid")
public class JwtSvidProperties {
    /** Lifetime when the request names none. Default 5 minutes. */
    private Duration ttl = Duration.ofMinutes(5);
    /** Longest lifetime a request may ask for ({@code ttl_seconds}). Default 1 hour. */
    private Duration maxTtl = Duration.ofHours(1);
    /** Transit mount of the signing key. Default {@code transit}. */
    private String transitMount = "transit";
    /** Transit key (ecdsa-p256) that signs JWT-SVIDs and nothing else. Default {@code identity-broker-jwt-svid}. */
    private String transitKey = "identity-broker-jwt-svid";
    /** How often the public keys are re-read from Vault. Default 60 s. */
    private Duration keyRefreshInterval = Duration.ofSeconds(60);

    public Duration getTtl() { return ttl; }
    public void setTtl(Duration ttl) { this.ttl = ttl; }
    public Duration getMaxTtl() { return maxTtl; }
    public void setMaxTtl(Duration maxTtl) { this.maxTtl = maxTtl; }
    public String getTransitMount() { return transitMount; }
    public void setTransitMount(String transitMount) { this.transitMount = transitMount; }
    public String getTransitKey() { return transitKey; }
    public void setTransitKey(String transitKey) { this.transitKey = transitKey; }
    public Duration getKeyRefreshInterval() { return keyRefreshInterval; }
    public void setKeyRefreshInterval(Duration keyRefreshInterval) { this.keyRefreshInterval = keyRefreshInterval; }

    /** The key's settings; batching and the unknown-kid read gap follow the access-token key's. */
    TransitKeySettings key(OAuthProperties oauth) {
        if (transitMount.equals(oauth.getTransitMount()) && transitKey.equals(oauth.getTransitKey())) {
            throw new IllegalStateException("broker.jwt-svid.transit-key must differ from broker.oauth.transit-key:"
                    + " a JWT-SVID key that verifies access tokens would make the two interchangeable");
        }
        return new TransitKeySettings(transitMount, transitKey, oauth.getKeyRefreshMinInterval(), oauth.getSignBatchMaxSize(),
                oauth.getSignBatchMaxWait(), oauth.getSignMaxConcurrentCalls(), "JWT-SVID signing", "broker.spiffe.jwt_svid.transit");
    }
}
