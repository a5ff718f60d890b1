/**
 * Identifiers: the ones the broker mints for its own rows (time-ordered UUIDs, RFC 9562 version 7,
 * so that new rows land at the end of their B-tree indexes instead of on a random page), and the
 * shapes path ids must have ({@link io.identitybroker.ids.ResourceIds}), and the SPIFFE ID value
 * ({@link io.identitybroker.ids.SpiffeId}: strict parsing and formatting of the identity the broker
 * assigns). A leaf: depends on nothing else in the broker.
 */
package io.identitybroker.ids;
