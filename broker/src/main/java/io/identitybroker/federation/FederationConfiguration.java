package io.identitybroker.federation;

import java.time.Duration;
import java.util.List;

/**
 * SPIFFE federation settings ({@value FederationConfigurationProperties#PREFIX}.*, e.g. {@code BROKER_FEDERATION_MAX_BUNDLE_AGE}).
 * The client authentication method names and the assertion type follow
 * draft-ietf-oauth-spiffe-client-auth and stay configurable until it is final.
 */
public interface FederationConfiguration {
    /** A fetched bundle not refreshed successfully for longer than this is refused (invalid_client). */
    Duration getMaxBundleAge();

    /** Refresh period when a bundle gives no spiffe_refresh_hint. */
    Duration getDefaultRefreshInterval();

    /** Least refresh period, whatever the hint says (a hint of 0 or 1 s must not hammer the peer). */
    Duration getMinRefreshInterval();

    /** Most refresh period, whatever the hint says. */
    Duration getMaxRefreshInterval();

    /** Wait before retrying a failed fetch (doubling up to the refresh period). */
    Duration getRetryInterval();

    /** Connect and read timeout of a bundle endpoint. */
    Duration getFetchTimeout();

    /** How often each replica re-reads the declared trust domains from the database. */
    Duration getConfigSyncInterval();

    /** Longest JWT-SVID lifetime (exp - iat) accepted as a client assertion. */
    Duration getMaxAssertionLifetime();

    /** Token endpoint method name of the X.509-SVID over mTLS. */
    String getX509MethodName();

    /** Token endpoint method name of the JWT-SVID client assertion. */
    String getJwtMethodName();

    /** {@code client_assertion_type} of a JWT-SVID. */
    String getJwtAssertionType();

    /** {@code api} and/or {@code vault-kv} (env {@code BROKER_FEDERATION_SOURCE=api,vault-kv}). */
    List<String> getSource();

    /** KV v2 mount of trust domain declarations. */
    String getKvMount();

    /** Folder of the declarations inside the mount. */
    String getKvPath();

    /** How often the declarations are re-read from Vault KV. */
    Duration getKvSyncInterval();

    /** Whether declarations are read from Vault KV. */
    default boolean vaultKvEnabled() {
        return getSource().stream().anyMatch(s -> s.trim().equals(TrustDomainService.SOURCE_VAULT_KV));
    }

    /**
     * The refresh period a bundle's hint asks for, held to [min, max]: the hint is the peer's
     * value, not a setting, and must neither hammer it nor let a bundle go stale.
     */
    default Duration refreshAfter(Duration hint) {
        Duration d = hint == null ? getDefaultRefreshInterval() : hint;
        if (d.compareTo(getMinRefreshInterval()) < 0) {
            return getMinRefreshInterval();
        }
        return d.compareTo(getMaxRefreshInterval()) > 0 ? getMaxRefreshInterval() : d;
    }
}
