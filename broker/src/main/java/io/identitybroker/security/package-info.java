/**
 * Admin authentication and authorization, both delegated to Vault: the caller's Vault token is the
 * credential ({@link io.identitybroker.security.VaultTokenAuthenticationFetcher}), and Vault's
 * policies on the broker's virtual paths decide each route
 * ({@link io.identitybroker.security.VaultCapabilityRule}). Also the one-time secret helpers.
 */
package io.identitybroker.security;
