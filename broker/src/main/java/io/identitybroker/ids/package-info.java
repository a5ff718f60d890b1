/**
 * Identifiers: the ones the broker mints for its own rows (time-ordered UUIDs, RFC 9562 version 7,
 * so that new rows land at the end of their B-tree indexes instead of on a random page), and the
 * shapes path ids must have ({@link io.identitybroker.ids.ResourceIds}).
 */
package io.identitybroker.ids;
