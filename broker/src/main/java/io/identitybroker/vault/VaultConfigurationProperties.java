package io.identitybroker.vault;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.ReadableFile;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * {@link VaultConfiguration} from {@code broker.vault.*}: an http(s) address, a readable CA file when
 * one is named, timeouts of whole seconds (the Vault driver counts seconds), at least 1 s each.
 */
@Context
@ConfigurationProperties(VaultConfigurationProperties.PREFIX)
public class VaultConfigurationProperties implements VaultConfiguration {
    public static final String PREFIX = "broker.vault";
    public static final String DEFAULT_ADDRESS = "http://127.0.0.1:8200";
    public static final String DEFAULT_APPROLE_MOUNT = "approle";
    public static final String DEFAULT_OPEN_TIMEOUT = "2s";
    public static final String DEFAULT_READ_TIMEOUT = "10s";
    public static final String DEFAULT_RETRY_AFTER = "5s";
    /** {@code broker.metrics.vault-probe-interval}: read by {@link VaultProbe}'s schedule, validated with the metrics settings. */
    public static final String PROBE_INTERVAL = "broker.metrics.vault-probe-interval";
    public static final String DEFAULT_PROBE_INTERVAL = "15s";

    @NotBlank
    @Pattern(regexp = "https?://\\S+", message = "must be an http:// or https:// URL")
    private String address = DEFAULT_ADDRESS;
    @Nullable
    private String token;
    @Nullable
    @ReadableFile
    private String caCert;
    @Nullable
    private String approleRoleId;
    @Nullable
    private String approleSecretIdFile;
    private boolean approleSecretIdWrapped;
    @NotBlank
    private String approleMount = DEFAULT_APPROLE_MOUNT;
    @NotNull
    @DurationMin("1s")
    private Duration openTimeout = Settings.duration(DEFAULT_OPEN_TIMEOUT);
    @NotNull
    @DurationMin("1s")
    private Duration readTimeout = Settings.duration(DEFAULT_READ_TIMEOUT);
    @NotNull
    @DurationMin("1s")
    private Duration retryAfter = Settings.duration(DEFAULT_RETRY_AFTER);

    @Override
    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    @Override
    @Nullable public String getToken() { return token; }
    public void setToken(@Nullable String token) { this.token = token; }
    @Override
    @Nullable public String getCaCert() { return caCert; }
    public void setCaCert(@Nullable String caCert) { this.caCert = caCert; }
    @Override
    @Nullable public String getApproleRoleId() { return approleRoleId; }
    public void setApproleRoleId(@Nullable String approleRoleId) { this.approleRoleId = approleRoleId; }
    @Override
    @Nullable public String getApproleSecretIdFile() { return approleSecretIdFile; }
    public void setApproleSecretIdFile(@Nullable String approleSecretIdFile) { this.approleSecretIdFile = approleSecretIdFile; }
    @Override
    public boolean isApproleSecretIdWrapped() { return approleSecretIdWrapped; }
    public void setApproleSecretIdWrapped(boolean approleSecretIdWrapped) { this.approleSecretIdWrapped = approleSecretIdWrapped; }
    @Override
    public String getApproleMount() { return approleMount; }
    public void setApproleMount(String approleMount) { this.approleMount = approleMount; }
    @Override
    public Duration getOpenTimeout() { return openTimeout; }
    public void setOpenTimeout(Duration openTimeout) { this.openTimeout = openTimeout; }
    @Override
    public Duration getReadTimeout() { return readTimeout; }
    public void setReadTimeout(Duration readTimeout) { this.readTimeout = readTimeout; }
    @Override
    public Duration getRetryAfter() { return retryAfter; }
    public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }
}
