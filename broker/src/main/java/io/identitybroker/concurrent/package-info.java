/**
 * Concurrency helpers the other packages share: {@link io.identitybroker.concurrent.SharedRounds}
 * (one round of work, such as a database store or a Vault probe, serving every caller that arrived
 * before it started). Depends on no other package of the broker.
 */
package io.identitybroker.concurrent;
