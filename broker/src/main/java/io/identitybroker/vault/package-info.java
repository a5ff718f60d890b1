/**
 * The broker's connection to Vault: one shared HTTP client, the broker's own login session
 * (token or AppRole, renewed before expiry, one re-login on an expired token), translation of
 * Vault failures into the broker's failure rules, and calls made with an admin's token.
 * Knows nothing of tenants or federation: {@link io.identitybroker.vault.VaultKvFolder} reads a KV v2
 * folder for whichever adapter owns it. Outside this package only the named adapters next to their
 * ports build Vault requests (ArchitectureTest, docs/architecture.md).
 */
package io.identitybroker.vault;
