package io.identitybroker.federation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A foreign SPIFFE trust domain as stored.
 *
 * @param profile          {@code https_web} (bundle endpoint over TLS with a web PKI or given CA),
 *                         {@code https_spiffe} (the endpoint presents an X.509-SVID of this domain) or {@code static}
 * @param endpointUrl      the bundle endpoint, for https_web and https_spiffe
 * @param endpointCa       PEM roots that verify an https_web endpoint's server certificate; null for the JDK's trust store
 * @param staticBundle     the SPIFFE bundle (JWK Set JSON): the bundle itself for static, the bootstrap bundle for https_spiffe
 * @param source           {@code api} or {@code vault-kv}
 * @param endpointSpiffeId the SPIFFE ID an https_spiffe endpoint must present
 */
@MappedEntity("trust_domains")
public record TrustDomain(@Id String name, String profile, @Nullable String endpointUrl, @Nullable String endpointCa,
                          @Nullable String staticBundle, String source, Instant createdAt, Instant updatedAt,
                          @Nullable String endpointSpiffeId) {
    public static final String HTTPS_WEB = "https_web";
    public static final String HTTPS_SPIFFE = "https_spiffe";
    public static final String STATIC = "static";

    public boolean isStatic() {
        return STATIC.equals(profile);
    }
}
