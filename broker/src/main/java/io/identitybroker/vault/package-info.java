/**
 * The broker's connection to Vault: one shared HTTP client, the broker's own login session
 * (token or AppRole, renewed before expiry, one re-login on an expired token), translation of
 * Vault failures into the broker's failure rules, and calls made with an admin's token.
 * Only this package, {@code pki} and {@code oauth} build Vault requests.
 */
package io.identitybroker.vault;
