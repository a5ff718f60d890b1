package io.identitybroker.tenant;

import io.identitybroker.audit.AuditedTenants;
import jakarta.inject.Singleton;

/** The tenant package's answer to the audit API's question "does this tenant exist?" ({@link TenantService#require}). */
@Singleton
public class KnownTenants implements AuditedTenants {
    private final TenantService tenants;

    public KnownTenants(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public void requireKnown(String tenantId) {
        tenants.require(tenantId);
    }
}
