package io.identitybroker.federation;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.annotation.PostConstruct;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;
import java.util.List;

/** {@link FederationConfiguration} from {@code broker.federation.*}; every period positive, every name non-blank. */
@Context
@ConfigurationProperties(FederationConfigurationProperties.PREFIX)
public class FederationConfigurationProperties implements FederationConfiguration {
    public static final String PREFIX = "broker.federation";
    /** A source entry: {@code api} or {@code vault-kv}, blank allowed (an empty list). */
    public static final String SOURCE_PATTERN = "\\s*(" + TrustDomainService.SOURCE_API + "|" + TrustDomainService.SOURCE_VAULT_KV + ")?\\s*";
    public static final String DEFAULT_MAX_BUNDLE_AGE = "1h";
    public static final String DEFAULT_DEFAULT_REFRESH_INTERVAL = "5m";
    public static final String DEFAULT_MIN_REFRESH_INTERVAL = "5s";
    public static final String DEFAULT_MAX_REFRESH_INTERVAL = "1h";
    public static final String DEFAULT_RETRY_INTERVAL = "10s";
    public static final String DEFAULT_FETCH_TIMEOUT = "10s";
    public static final String DEFAULT_CONFIG_SYNC_INTERVAL = "30s";
    public static final String DEFAULT_MAX_ASSERTION_LIFETIME = "1h";
    public static final String DEFAULT_X509_METHOD_NAME = "spiffe_x509";
    public static final String DEFAULT_JWT_METHOD_NAME = "spiffe_jwt";
    public static final String DEFAULT_JWT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";
    public static final String DEFAULT_SOURCE = TrustDomainService.SOURCE_API;
    public static final String DEFAULT_KV_MOUNT = "identity-broker-kv";
    public static final String DEFAULT_KV_PATH = "trust-domains";
    public static final String DEFAULT_KV_SYNC_INTERVAL = "60s";

    @NotNull
    @DurationMin("1ms")
    private Duration maxBundleAge = Settings.duration(DEFAULT_MAX_BUNDLE_AGE);
    @NotNull
    @DurationMin("1ms")
    private Duration defaultRefreshInterval = Settings.duration(DEFAULT_DEFAULT_REFRESH_INTERVAL);
    @NotNull
    @DurationMin("1ms")
    private Duration minRefreshInterval = Settings.duration(DEFAULT_MIN_REFRESH_INTERVAL);
    @NotNull
    @DurationMin("1ms")
    private Duration maxRefreshInterval = Settings.duration(DEFAULT_MAX_REFRESH_INTERVAL);
    @NotNull
    @DurationMin("1ms")
    private Duration retryInterval = Settings.duration(DEFAULT_RETRY_INTERVAL);
    @NotNull
    @DurationMin("1ms")
    private Duration fetchTimeout = Settings.duration(DEFAULT_FETCH_TIMEOUT);
    @NotNull
    @DurationMin("1ms")
    private Duration configSyncInterval = Settings.duration(DEFAULT_CONFIG_SYNC_INTERVAL);
    @NotNull
    @DurationMin("1s")
    private Duration maxAssertionLifetime = Settings.duration(DEFAULT_MAX_ASSERTION_LIFETIME);
    @NotBlank
    private String x509MethodName = DEFAULT_X509_METHOD_NAME;
    @NotBlank
    private String jwtMethodName = DEFAULT_JWT_METHOD_NAME;
    @NotBlank
    private String jwtAssertionType = DEFAULT_JWT_ASSERTION_TYPE;
    @NotNull
    private List<@Pattern(regexp = SOURCE_PATTERN, message = "must list api and/or vault-kv") String> source = List.of(DEFAULT_SOURCE);
    @NotBlank
    private String kvMount = DEFAULT_KV_MOUNT;
    @NotBlank
    private String kvPath = DEFAULT_KV_PATH;
    @NotNull
    @DurationMin("1ms")
    private Duration kvSyncInterval = Settings.duration(DEFAULT_KV_SYNC_INTERVAL);

    @Override
    public List<String> getSource() { return source; }
    public void setSource(List<String> source) { this.source = source; }
    @Override
    public String getKvMount() { return kvMount; }
    public void setKvMount(String kvMount) { this.kvMount = kvMount; }
    @Override
    public String getKvPath() { return kvPath; }
    public void setKvPath(String kvPath) { this.kvPath = kvPath; }
    @Override
    public Duration getKvSyncInterval() { return kvSyncInterval; }
    public void setKvSyncInterval(Duration kvSyncInterval) { this.kvSyncInterval = kvSyncInterval; }
    @Override
    public Duration getMaxBundleAge() { return maxBundleAge; }
    public void setMaxBundleAge(Duration maxBundleAge) { this.maxBundleAge = maxBundleAge; }
    @Override
    public Duration getDefaultRefreshInterval() { return defaultRefreshInterval; }
    public void setDefaultRefreshInterval(Duration defaultRefreshInterval) { this.defaultRefreshInterval = defaultRefreshInterval; }
    @Override
    public Duration getMinRefreshInterval() { return minRefreshInterval; }
    public void setMinRefreshInterval(Duration minRefreshInterval) { this.minRefreshInterval = minRefreshInterval; }
    @Override
    public Duration getMaxRefreshInterval() { return maxRefreshInterval; }
    public void setMaxRefreshInterval(Duration maxRefreshInterval) { this.maxRefreshInterval = maxRefreshInterval; }
    @Override
    public Duration getRetryInterval() { return retryInterval; }
    public void setRetryInterval(Duration retryInterval) { this.retryInterval = retryInterval; }
    @Override
    public Duration getFetchTimeout() { return fetchTimeout; }
    public void setFetchTimeout(Duration fetchTimeout) { this.fetchTimeout = fetchTimeout; }
    @Override
    public Duration getConfigSyncInterval() { return configSyncInterval; }
    public void setConfigSyncInterval(Duration configSyncInterval) { this.configSyncInterval = configSyncInterval; }
    @Override
    public Duration getMaxAssertionLifetime() { return maxAssertionLifetime; }
    public void setMaxAssertionLifetime(Duration maxAssertionLifetime) { this.maxAssertionLifetime = maxAssertionLifetime; }
    @Override
    public String getX509MethodName() { return x509MethodName; }
    public void setX509MethodName(String x509MethodName) { this.x509MethodName = x509MethodName; }
    @Override
    public String getJwtMethodName() { return jwtMethodName; }
    public void setJwtMethodName(String jwtMethodName) { this.jwtMethodName = jwtMethodName; }
    @Override
    public String getJwtAssertionType() { return jwtAssertionType; }
    public void setJwtAssertionType(String jwtAssertionType) { this.jwtAssertionType = jwtAssertionType; }

    /** The bounds hold a peer's hint; in the wrong order, or around a default outside them, one would win quietly. */
    @PostConstruct
    void checkOrder() {
        Settings.requireOrdered(PREFIX + ".min-refresh-interval", minRefreshInterval, PREFIX + ".max-refresh-interval", maxRefreshInterval);
        Settings.requireOrdered(PREFIX + ".min-refresh-interval", minRefreshInterval, PREFIX + ".default-refresh-interval", defaultRefreshInterval);
        Settings.requireOrdered(PREFIX + ".default-refresh-interval", defaultRefreshInterval, PREFIX + ".max-refresh-interval", maxRefreshInterval);
    }
}
