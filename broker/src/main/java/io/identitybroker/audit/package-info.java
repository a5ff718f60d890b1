/**
 * The tamper-evident audit trail: one hash-chained event per state change, appended in the same
 * database transaction as the change (one chain per tenant, plus {@code _system} for requests no
 * tenant can be attributed to), with an API to page through events and verify a chain. Below
 * tenant: the API asks whether a tenant exists through the port
 * {@link io.identitybroker.audit.AuditedTenants}, which the tenant package implements.
 */
package io.identitybroker.audit;
