package io.identitybroker.oauth;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link OAuthConfiguration} from {@code broker.oauth.*}. A batch size outside 1..{@value #MAX_SIGN_BATCH_MAX_SIZE},
 * fewer than one concurrent call or a negative verified-token count stops the start (they used to be
 * clamped quietly).
 */
@Context
@ConfigurationProperties(OAuthConfigurationProperties.PREFIX)
public class OAuthConfigurationProperties implements OAuthConfiguration {
    public static final String PREFIX = "broker.oauth";
    public static final String DEFAULT_ISSUER = "https://localhost:8443";
    public static final String DEFAULT_ACCESS_TOKEN_TTL = "10m";
    public static final String DEFAULT_TRANSIT_MOUNT = "transit";
    public static final String DEFAULT_TRANSIT_KEY = "identity-broker-jwt";
    public static final String DEFAULT_KEY_REFRESH_INTERVAL = "60s";
    public static final String DEFAULT_KEY_REFRESH_MIN_INTERVAL = "5s";
    public static final int DEFAULT_SIGN_BATCH_MAX_SIZE = 64;
    /** Vault's batch_input limit the broker stays within. */
    public static final int MAX_SIGN_BATCH_MAX_SIZE = 1000;
    public static final String DEFAULT_SIGN_BATCH_MAX_WAIT = "2ms";
    public static final int DEFAULT_SIGN_MAX_CONCURRENT_CALLS = 4;
    /** About 3 MiB. */
    public static final int DEFAULT_INTROSPECTION_VERIFIED_TOKENS = 10_000;

    @NotBlank
    @Pattern(regexp = "https?://\\S+", message = "must be an http:// or https:// URL")
    private String issuer = DEFAULT_ISSUER;
    @NotNull
    @DurationMin("1s")
    private Duration accessTokenTtl = Settings.duration(DEFAULT_ACCESS_TOKEN_TTL);
    @NotNull
    private Map<String, String> tenantAudiences = new HashMap<>();
    @NotBlank
    private String transitMount = DEFAULT_TRANSIT_MOUNT;
    @NotBlank
    private String transitKey = DEFAULT_TRANSIT_KEY;
    @NotNull
    @DurationMin("1ms")
    private Duration keyRefreshInterval = Settings.duration(DEFAULT_KEY_REFRESH_INTERVAL);
    @NotNull
    @DurationMin("0s")
    private Duration keyRefreshMinInterval = Settings.duration(DEFAULT_KEY_REFRESH_MIN_INTERVAL);
    @Min(1)
    @Max(MAX_SIGN_BATCH_MAX_SIZE)
    private int signBatchMaxSize = DEFAULT_SIGN_BATCH_MAX_SIZE;
    @NotNull
    @DurationMin("0s")
    private Duration signBatchMaxWait = Settings.duration(DEFAULT_SIGN_BATCH_MAX_WAIT);
    @Min(1)
    private int signMaxConcurrentCalls = DEFAULT_SIGN_MAX_CONCURRENT_CALLS;
    @Min(0)
    private int introspectionVerifiedTokens = DEFAULT_INTROSPECTION_VERIFIED_TOKENS;

    @Override
    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer; }
    @Override
    public Duration getAccessTokenTtl() { return accessTokenTtl; }
    public void setAccessTokenTtl(Duration accessTokenTtl) { this.accessTokenTtl = accessTokenTtl; }
    @Override
    public Map<String, String> getTenantAudiences() { return tenantAudiences; }
    public void setTenantAudiences(Map<String, String> tenantAudiences) { this.tenantAudiences = tenantAudiences; }
    @Override
    public String getTransitMount() { return transitMount; }
    public void setTransitMount(String transitMount) { this.transitMount = transitMount; }
    @Override
    public String getTransitKey() { return transitKey; }
    public void setTransitKey(String transitKey) { this.transitKey = transitKey; }
    @Override
    public Duration getKeyRefreshInterval() { return keyRefreshInterval; }
    public void setKeyRefreshInterval(Duration keyRefreshInterval) { this.keyRefreshInterval = keyRefreshInterval; }
    @Override
    public Duration getKeyRefreshMinInterval() { return keyRefreshMinInterval; }
    public void setKeyRefreshMinInterval(Duration keyRefreshMinInterval) { this.keyRefreshMinInterval = keyRefreshMinInterval; }
    @Override
    public int getSignBatchMaxSize() { return signBatchMaxSize; }
    public void setSignBatchMaxSize(int signBatchMaxSize) { this.signBatchMaxSize = signBatchMaxSize; }
    @Override
    public Duration getSignBatchMaxWait() { return signBatchMaxWait; }
    public void setSignBatchMaxWait(Duration signBatchMaxWait) { this.signBatchMaxWait = signBatchMaxWait; }
    @Override
    public int getSignMaxConcurrentCalls() { return signMaxConcurrentCalls; }
    public void setSignMaxConcurrentCalls(int signMaxConcurrentCalls) { this.signMaxConcurrentCalls = signMaxConcurrentCalls; }
    @Override
    public int getIntrospectionVerifiedTokens() { return introspectionVerifiedTokens; }
    public void setIntrospectionVerifiedTokens(int introspectionVerifiedTokens) { this.introspectionVerifiedTokens = introspectionVerifiedTokens; }
}
