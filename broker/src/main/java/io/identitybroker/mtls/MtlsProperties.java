package io.identitybroker.mtls;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How agent routes authenticate ({@code broker.agent.mtls.*}; each also settable by environment,
 * e.g. {@code BROKER_AGENT_MTLS_REQUIRED}, {@code BROKER_AGENT_MTLS_CA_FILE}).
 */
@ConfigurationProperties("broker.agent.mtls")
public class MtlsProperties {
    /** Whether agent routes demand a client certificate. When false the agent secret alone authenticates. Default true. */
    private boolean required = true;
    /** PEM bundle of extra trust anchors (an operator CA, a SPIRE bundle). Re-read at every anchor refresh. */
    @Nullable
    private String caFile;
    /** Whether certificates chaining to {@link #caFile} (externally issued SVIDs) may authenticate agents. Default false. */
    private boolean acceptExternalSvids;
    /**
     * Header carrying the client certificate from a TLS-terminating proxy: {@code X-Forwarded-Client-Cert}
     * (Envoy) or {@code Client-Cert} (RFC 9440). Unset: no header is honoured.
     */
    @Nullable
    private String proxyHeader;
    /** CIDRs of the proxies whose {@link #proxyHeader} is honoured. */
    private List<String> trustedProxies = new ArrayList<>();
    /** How often every tenant's CA chain is read again from Vault. Default 5 min. */
    private Duration anchorRefresh = Duration.ofMinutes(5);
    /** Most certificates a presented chain may hold, leaf included, below its trust anchor. Default 4. */
    private int maxChainLength = 4;

    public boolean isRequired() { return required; }
    public void setRequired(boolean required) { this.required = required; }
    @Nullable public String getCaFile() { return caFile; }
    public void setCaFile(@Nullable String caFile) { this.caFile = caFile; }
    public boolean isAcceptExternalSvids() { return acceptExternalSvids; }
    public void setAcceptExternalSvids(boolean acceptExternalSvids) { this.acceptExternalSvids = acceptExternalSvids; }
    @Nullable public String getProxyHeader() { return proxyHeader; }
    public void setProxyHeader(@Nullable String proxyHeader) { this.proxyHeader = proxyHeader; }
    public List<String> getTrustedProxies() { return trustedProxies; }
    public void setTrustedProxies(List<String> trustedProxies) { this.trustedProxies = trustedProxies == null ? new ArrayList<>() : trustedProxies; }
    public Duration getAnchorRefresh() { return anchorRefresh; }
    public void setAnchorRefresh(Duration anchorRefresh) { this.anchorRefresh = anchorRefresh; }
    public int getMaxChainLength() { return maxChainLength; }
    public void setMaxChainLength(int maxChainLength) { this.maxChainLength = maxChainLength; }

    boolean hasCaFile() {
        return caFile != null && !caFile.isBlank();
    }

    boolean hasProxyHeader() {
        return proxyHeader != null && !proxyHeader.isBlank();
    }
}
