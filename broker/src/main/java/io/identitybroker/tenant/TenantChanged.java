package io.identitybroker.tenant;

/**
 * Published (inside the changing transaction) when a tenant is created or updated, so that caches
 * keyed by tenant, such as the mTLS trust anchors, refresh without waiting for their next cycle.
 */
public record TenantChanged(Tenant tenant) {
}
