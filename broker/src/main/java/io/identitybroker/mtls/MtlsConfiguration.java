package io.identitybroker.mtls;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * How agent routes authenticate ({@value MtlsConfigurationProperties#PREFIX}.*; each also settable by environment,
 * e.g. {@code BROKER_AGENT_MTLS_REQUIRED}, {@code BROKER_AGENT_MTLS_CA_FILE}).
 */
public interface MtlsConfiguration {
    /** Whether agent routes demand a client certificate. When false the agent secret alone authenticates. */
    boolean isRequired();

    /** PEM bundle of extra trust anchors (an operator CA, a SPIRE bundle). Re-read at every anchor refresh. */
    @Nullable
    String getCaFile();

    /** Whether certificates chaining to {@link #getCaFile()} (externally issued SVIDs) may authenticate agents. */
    boolean isAcceptExternalSvids();

    /**
     * Header carrying the client certificate from a TLS-terminating proxy: {@code X-Forwarded-Client-Cert}
     * (Envoy) or {@code Client-Cert} (RFC 9440). Unset: no header is honoured.
     */
    @Nullable
    String getProxyHeader();

    /** CIDRs of the proxies whose {@link #getProxyHeader()} is honoured. */
    List<String> getTrustedProxies();

    /** How often every tenant's CA chain is read again from Vault. */
    Duration getAnchorRefresh();

    /** Most certificates a presented chain may hold, leaf included, below its trust anchor. */
    int getMaxChainLength();

    default boolean hasCaFile() {
        return getCaFile() != null && !getCaFile().isBlank();
    }

    default boolean hasProxyHeader() {
        return getProxyHeader() != null && !getProxyHeader().isBlank();
    }
}
