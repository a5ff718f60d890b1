/**
 * Tenants: the unit of isolation. Each names its SPIFFE trust domain and the Vault PKI mount and
 * role that sign its agents; admins see a tenant only where Vault's policies let them read it.
 * Reads go through {@link io.identitybroker.tenant.TenantService}; the admin API's writes through
 * {@link io.identitybroker.tenant.TenantLifecycleService}; tenants declared in Vault KV v2
 * ({@link io.identitybroker.tenant.VaultKvTenantDeclarations}, the adapter of the port
 * {@link io.identitybroker.tenant.TenantDeclarationSource}) through
 * {@link io.identitybroker.tenant.TenantSync}; both write with {@link io.identitybroker.tenant.TenantWriter}.
 */
package io.identitybroker.tenant;
