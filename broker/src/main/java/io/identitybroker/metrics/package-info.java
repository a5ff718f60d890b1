/**
 * Operational metrics that no single capability owns: lifecycle counters derived from committed
 * audit events ({@link io.identitybroker.metrics.LifecycleCounters}) and per-tenant inventory
 * gauges computed from the database on a schedule ({@link io.identitybroker.metrics.InventoryGauges}).
 * Capabilities count their own hot-path events where they happen (token issuance, introspection,
 * mTLS refusals, Vault calls); every metric is listed in docs/operations.md.
 */
package io.identitybroker.metrics;
