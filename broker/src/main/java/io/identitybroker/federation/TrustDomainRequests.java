package io.identitybroker.federation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/** Request bodies of the trust domain API (snake_case on the wire). */
public final class TrustDomainRequests {
    private TrustDomainRequests() {
    }

    /**
     * {@code POST /api/v1/trust-domains} and {@code PUT /api/v1/trust-domains/{name}} (which
     * replaces everything but the name).
     *
     * @param profile            {@code https_web} (default when an endpoint is given), {@code https_spiffe} or {@code static}
     * @param bundleEndpointUrl  https URL of the SPIFFE bundle endpoint (https_web, https_spiffe)
     * @param endpointCa         PEM roots verifying an https_web endpoint's TLS certificate; default the JDK trust store
     * @param bundle             the SPIFFE bundle as a JSON object (static), or the bootstrap bundle (https_spiffe)
     * @param endpointSpiffeId   the SPIFFE ID an https_spiffe endpoint presents, in this trust domain
     */
    @Introspected
    public record Declare(@Nullable String name, @Nullable String profile, @Nullable String bundleEndpointUrl,
                          @Nullable String endpointCa, @Nullable Map<String, Object> bundle, @Nullable String endpointSpiffeId) {
    }
}
