package io.identitybroker.spiffe;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Trust bundle settings ({@code broker.spiffe.bundle.*}, e.g. {@code BROKER_SPIFFE_BUNDLE_REFRESH_HINT}). */
@ConfigurationProperties("broker.spiffe.bundle")
public class BundleProperties {
    /** {@code spiffe_refresh_hint}: how often a federated peer should fetch the bundle again. Default 300 s. */
    private Duration refreshHint = Duration.ofSeconds(300);
    /** How often the tenants' CA chains are re-read from Vault. Default 60 s. */
    private Duration refreshInterval = Duration.ofSeconds(60);

    public Duration getRefreshHint() { return refreshHint; }
    public void setRefreshHint(Duration refreshHint) { this.refreshHint = refreshHint; }
    public Duration getRefreshInterval() { return refreshInterval; }
    public void setRefreshInterval(Duration refreshInterval) { this.refreshInterval = refreshInterval; }
}
