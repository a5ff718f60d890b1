package io.identitybroker.spiffe;

import java.time.Duration;

/** Trust bundle settings ({@value BundleConfigurationProperties#PREFIX}.*, e.g. {@code BROKER_SPIFFE_BUNDLE_REFRESH_HINT}). */
public interface BundleConfiguration {
    /** {@code spiffe_refresh_hint}: how often a federated peer should fetch the bundle again. */
    Duration getRefreshHint();

    /** How often the tenants' CA chains are re-read from Vault. */
    Duration getRefreshInterval();
}
