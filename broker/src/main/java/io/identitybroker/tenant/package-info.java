/**
 * Tenants: the unit of isolation. Each names its SPIFFE trust domain and the Vault PKI mount and
 * role that sign its agents; admins see a tenant only where Vault's policies let them read it.
 */
package io.identitybroker.tenant;
