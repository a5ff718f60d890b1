# tenant-admin: an administrator of exactly one tenant.
#
# Templated: the tenant comes from the caller's identity entity metadata `tenant`
# (e.g. entity "acme-admin" with metadata tenant=acme). A token without an entity, or whose
# entity has no `tenant` metadata, matches none of these paths and so gets nothing.
#
# The paths are virtual: nothing is stored there. The broker asks sys/capabilities-self with
# the admin's token and requires the capability listed in the API contract.
# A tenant admin may see the tenant, manage its enrollment tokens, view and revoke its agents
# and read its audit trail. Suspending a tenant (update on the tenant) is a platform action
# and is NOT granted here.

# See the tenant (without read, the broker answers 404 for everything under it).
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}" {
  capabilities = ["read"]
}

# Issue (create) and list enrollment tokens.
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/enrollment-tokens" {
  capabilities = ["create", "read", "list"]
}

# Revoke (delete) one enrollment token.
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/enrollment-tokens/*" {
  capabilities = ["read", "delete"]
}

# List and view agents.
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/agents" {
  capabilities = ["read", "list"]
}

# Revoke an agent's certificate or secret (update on the agent).
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/agents/*" {
  capabilities = ["read", "update"]
}

# Read the tenant's audit events.
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/audit" {
  capabilities = ["read"]
}

# Register (create), list and view external clients: OAuth clients of this tenant whose
# identity is a foreign SPIFFE ID (SPIFFE federation).
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/external-clients" {
  capabilities = ["create", "read", "list"]
}

# Change (update) and remove (delete) one external client.
path "identity-broker/tenants/{{identity.entity.metadata.tenant}}/external-clients/*" {
  capabilities = ["read", "update", "delete"]
}
