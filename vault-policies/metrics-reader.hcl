# A Prometheus scraper of Identity Broker: GET /prometheus (and /metrics, and the details of
# /health/*). Nothing else: it cannot read a tenant, an agent or the audit trail.
path "identity-broker/metrics" {
  capabilities = ["read"]
}
