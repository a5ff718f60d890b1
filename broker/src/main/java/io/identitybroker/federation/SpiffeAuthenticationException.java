package io.identitybroker.federation;

import io.micronaut.core.annotation.Nullable;

/**
 * spiffe_x509 or spiffe_jwt client authentication failed. The token endpoint answers every one
 * of these with the same RFC 6749 {@code invalid_client}; the {@link #reason()} code goes only to
 * the audit event ({@code unknown_trust_domain}, {@code bundle_stale}, {@code wrong_spiffe_id},
 * {@code expired_svid}, {@code wrong_audience}, {@code algorithm_not_allowed}, {@code replayed_assertion}, ...).
 */
public class SpiffeAuthenticationException extends RuntimeException {
    private final String reason;
    private final String tenantId;
    private final String clientId;
    private final String presentedX5t;

    SpiffeAuthenticationException(String reason, @Nullable ExternalClient client, @Nullable String presentedX5t) {
        super(reason, null, false, false);
        this.reason = reason;
        this.tenantId = client == null ? null : client.tenantId();
        this.clientId = client == null ? null : client.id();
        this.presentedX5t = presentedX5t;
    }

    public String reason() {
        return reason;
    }

    @Nullable
    public String tenantId() {
        return tenantId;
    }

    @Nullable
    public String clientId() {
        return clientId;
    }

    @Nullable
    public String presentedX5t() {
        return presentedX5t;
    }
}
