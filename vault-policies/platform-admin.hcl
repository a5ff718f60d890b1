# platform-admin: the platform team that runs the broker for all tenants.
#
# Creates tenants, suspends and reactivates them, and has every tenant admin's rights in every
# tenant, plus token introspection through the admin API. The paths are virtual: the broker
# checks them with sys/capabilities-self. This policy grants nothing in Vault itself (no PKI,
# transit or sys/ access); Vault administration is a separate role.

# Create tenants (POST /api/v1/tenants).
path "identity-broker/tenants" {
  capabilities = ["create", "list"]
}

# Everything on every tenant and everything under it (enrollment tokens, agents, audit).
path "identity-broker/tenants/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "identity-broker/introspect" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

# Operational metrics (GET /prometheus, GET /metrics) and the details of /health/*.
path "identity-broker/metrics" {
  capabilities = ["read"]
}

# Foreign SPIFFE trust domains (SPIFFE federation): declare (create), list, read, replace
# (update), refresh (update) and remove (delete).
path "identity-broker/trust-domains" {
  capabilities = ["create", "list"]
}

path "identity-broker/trust-domains/*" {
  capabilities = ["read", "update", "delete"]
}
