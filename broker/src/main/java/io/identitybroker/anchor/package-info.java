/**
 * Audit chain anchoring: each chain's head (seq, hash) copied periodically into Vault KV v2,
 * outside the broker's database, so that verification can prove a chain's tail is complete.
 */
package io.identitybroker.anchor;
