package io.identitybroker.spiffe;

import io.identitybroker.config.InvalidSettingException;
import io.identitybroker.oauth.OAuthConfiguration;
import io.identitybroker.oauth.TransitKeySettings;

import java.time.Duration;

/**
 * JWT-SVID settings ({@value JwtSvidConfigurationProperties#PREFIX}.*, e.g. {@code BROKER_JWT_SVID_TTL}).
 * The transit key must not be the access-token key: the broker refuses to start when both name the same key.
 */
public interface JwtSvidConfiguration {
    /** Lifetime when the request names none. */
    Duration getTtl();

    /** Longest lifetime a request may ask for ({@code ttl_seconds}). */
    Duration getMaxTtl();

    /** Transit mount of the signing key. */
    String getTransitMount();

    /** Transit key (ecdsa-p256) that signs JWT-SVIDs and nothing else. */
    String getTransitKey();

    /** How often the public keys are re-read from Vault. */
    Duration getKeyRefreshInterval();

    /** The key's settings; batching and the unknown-kid read gap follow the access-token key's. */
    default TransitKeySettings key(OAuthConfiguration oauth) {
        if (getTransitMount().equals(oauth.getTransitMount()) && getTransitKey().equals(oauth.getTransitKey())) {
            throw new InvalidSettingException(JwtSvidConfigurationProperties.PREFIX + ".transit-key",
                    "must differ from broker.oauth.transit-key (a JWT-SVID key that verifies access tokens would make the two"
                            + " interchangeable)", getTransitKey());
        }
        return new TransitKeySettings(getTransitMount(), getTransitKey(), oauth.getKeyRefreshMinInterval(),
                oauth.getSignBatchMaxSize(), oauth.getSignBatchMaxWait(), oauth.getSignMaxConcurrentCalls(), "JWT-SVID signing",
                "broker.spiffe.jwt_svid.transit");
    }
}
