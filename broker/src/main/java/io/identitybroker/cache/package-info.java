/**
 * The broker's one cache: {@link io.identitybroker.cache.ExpiringCache}, a bounded map whose
 * entries expire. A leaf: it uses no other broker package.
 */
package io.identitybroker.cache;
