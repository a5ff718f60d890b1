/**
 * SPIFFE federation: foreign trust domains (declared by platform admins, their bundles fetched
 * from a SPIFFE bundle endpoint or given statically, refreshed at their refresh hint and kept
 * last-good), external OAuth clients of a tenant identified by a foreign SPIFFE ID, and the
 * {@code spiffe_x509} / {@code spiffe_jwt} client authentication the token endpoint calls.
 * Declarations in Vault KV v2 are read by {@link io.identitybroker.federation.VaultKvTrustDomainDeclarations},
 * the adapter of {@link io.identitybroker.federation.TrustDomainDeclarationSource}.
 * Depends on agent, mtls, tenant, audit, pki, security, vault, api and ids; nothing here depends on oauth.
 */
package io.identitybroker.federation;
