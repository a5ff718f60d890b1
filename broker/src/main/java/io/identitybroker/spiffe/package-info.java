/**
 * SPIFFE trust bundles and JWT-SVIDs: {@code GET /spiffe/bundles/{trust_domain}} (the roots of the
 * trust domain's active tenants and the JWT-SVID verification keys, with a persistent
 * {@code spiffe_sequence}) and {@code POST /api/v1/agents/{agent_id}/jwt-svids} (JWT-SVIDs signed by
 * a transit key of their own, never the access-token key).
 */
package io.identitybroker.spiffe;
