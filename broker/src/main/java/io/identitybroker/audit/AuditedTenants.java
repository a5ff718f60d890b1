package io.identitybroker.audit;

/**
 * The port through which the audit API asks whether a tenant exists, so that audit (below tenant)
 * never depends on the tenant package; {@code tenant.KnownTenants} implements it. An unknown tenant
 * is the same 404 {@code tenant_not_found} as on the tenant API, raised before any event is read.
 */
public interface AuditedTenants {
    /** Returns when the tenant exists; throws the 404 {@code tenant_not_found} problem otherwise. */
    void requireKnown(String tenantId);
}
