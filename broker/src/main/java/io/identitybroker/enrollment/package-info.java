/**
 * Enrollment: one-time tokens an admin issues for a tenant, and the exchange in which an agent
 * trades a token and a CSR for a Vault-signed X.509-SVID, an agent id and an agent secret.
 */
package io.identitybroker.enrollment;
