package io.identitybroker.mtls;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.ReadableFile;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MtlsConfiguration} from {@code broker.agent.mtls.*}: a CA file this process can read, a
 * supported proxy header, trusted proxies that are CIDR blocks, a chain of at least one certificate.
 */
@Context
@ConfigurationProperties(MtlsConfigurationProperties.PREFIX)
public class MtlsConfigurationProperties implements MtlsConfiguration {
    public static final String PREFIX = "broker.agent.mtls";
    public static final boolean DEFAULT_REQUIRED = true;
    public static final String DEFAULT_ANCHOR_REFRESH = "5m";
    public static final int DEFAULT_MAX_CHAIN_LENGTH = 4;
    /** {@code X-Forwarded-Client-Cert} or {@code Client-Cert}, any case; blank: unset. */
    public static final String PROXY_HEADER_PATTERN = "(?i)\\s*|" + ProxyCertificateHeader.XFCC + "|" + ProxyCertificateHeader.CLIENT_CERT;

    private boolean required = DEFAULT_REQUIRED;
    @Nullable
    @ReadableFile
    private String caFile;
    private boolean acceptExternalSvids;
    @Nullable
    @Pattern(regexp = PROXY_HEADER_PATTERN, message = "must be X-Forwarded-Client-Cert or Client-Cert")
    private String proxyHeader;
    @NotNull
    private List<@Cidr String> trustedProxies = new ArrayList<>();
    @NotNull
    @DurationMin("1ms")
    private Duration anchorRefresh = Settings.duration(DEFAULT_ANCHOR_REFRESH);
    @Min(1)
    private int maxChainLength = DEFAULT_MAX_CHAIN_LENGTH;

    @Override
    public boolean isRequired() { return required; }
    public void setRequired(boolean required) { this.required = required; }
    @Override
    @Nullable public String getCaFile() { return caFile; }
    public void setCaFile(@Nullable String caFile) { this.caFile = caFile; }
    @Override
    public boolean isAcceptExternalSvids() { return acceptExternalSvids; }
    public void setAcceptExternalSvids(boolean acceptExternalSvids) { this.acceptExternalSvids = acceptExternalSvids; }
    @Override
    @Nullable public String getProxyHeader() { return proxyHeader; }
    public void setProxyHeader(@Nullable String proxyHeader) { this.proxyHeader = proxyHeader; }
    @Override
    public List<String> getTrustedProxies() { return trustedProxies; }
    public void setTrustedProxies(List<String> trustedProxies) { this.trustedProxies = trustedProxies == null ? new ArrayList<>() : trustedProxies; }
    @Override
    public Duration getAnchorRefresh() { return anchorRefresh; }
    public void setAnchorRefresh(Duration anchorRefresh) { this.anchorRefresh = anchorRefresh; }
    @Override
    public int getMaxChainLength() { return maxChainLength; }
    public void setMaxChainLength(int maxChainLength) { this.maxChainLength = maxChainLength; }
}
