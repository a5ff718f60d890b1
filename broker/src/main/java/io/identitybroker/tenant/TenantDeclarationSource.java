package io.identitybroker.tenant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where tenants can be declared outside the API (the port; Vault KV v2 is the adapter). */
public interface TenantDeclarationSource {

    /** Every declaration's raw fields by tenant id ({@code display_name}, {@code trust_domain}, ...). */
    Map<String, Map<String, String>> all();

    /** One declaration's raw fields, or empty when none exists. */
    Optional<Map<String, String>> find(String tenantId);

    /** The raw fields as a validated declaration. */
    static TenantDeclaration parse(String id, Map<String, String> fields) {
        return TenantDeclaration.of(id, fields.get("display_name"), fields.get("trust_domain"),
                fields.get("pki_mount"), fields.get("pki_role"));
    }

    /** The ids of all declarations, for callers that only need those. */
    default List<String> ids() {
        return List.copyOf(all().keySet());
    }
}
