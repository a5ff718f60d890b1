package io.identitybroker.federation;

import java.util.Map;

/** Where foreign trust domains can be declared outside the API (the port; Vault KV v2 is the adapter). */
public interface TrustDomainDeclarationSource {
    /**
     * Every declaration's raw fields by trust domain name: {@code profile}, {@code bundle_endpoint_url},
     * {@code endpoint_ca} (PEM), {@code bundle} (the SPIFFE bundle as JSON text or object).
     */
    Map<String, Map<String, String>> all();
}
