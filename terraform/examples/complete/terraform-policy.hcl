# identity-broker-terraform: what the identity that RUNS Terraform on these modules needs
# (default paths of the modules; adapt if you change path, mount_prefix, kv_path, transit_path
# or approle_path). scripts/test-terraform.sh applies, plans and destroys the example with a
# token of only this policy, never the root token.
#
# This identity can create CAs and policies: keep it to the provisioning pipeline, never give
# it to the broker or to people. It is not in vault-policies/, which holds the broker's and its
# users' policies.

# --- Mounts and the AppRole auth method -------------------------------------------------------
path "sys/mounts" {
  capabilities = ["read"]
}

path "sys/mounts/pki-root" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/mounts/pki-root/tune" {
  capabilities = ["read", "update"]
}

path "sys/mounts/pki-tenants/+" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/mounts/pki-tenants/+/tune" {
  capabilities = ["read", "update"]
}

path "sys/mounts/transit" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/mounts/transit/tune" {
  capabilities = ["read", "update"]
}

path "sys/mounts/identity-broker-kv" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/mounts/identity-broker-kv/tune" {
  capabilities = ["read", "update"]
}

path "sys/auth" {
  capabilities = ["read"]
}

# Enabling and disabling an auth method needs sudo.
path "sys/auth/approle" {
  capabilities = ["create", "read", "update", "delete", "sudo"]
}

path "sys/auth/approle/tune" {
  capabilities = ["read", "update"]
}

# --- The four policies from vault-policies/ ---------------------------------------------------
path "sys/policies/acl/identity-broker" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policies/acl/tenant-admin" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policies/acl/platform-admin" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policies/acl/auditor" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policies/acl/metrics-reader" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policy/identity-broker" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policy/tenant-admin" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policy/platform-admin" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policy/auditor" {
  capabilities = ["create", "read", "update", "delete"]
}

path "sys/policy/metrics-reader" {
  capabilities = ["create", "read", "update", "delete"]
}

# --- Contents of the engines ------------------------------------------------------------------
path "pki-root/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

# Deleting the root CA (destroy of the pki-root module in root mode) is a sudo endpoint.
path "pki-root/root" {
  capabilities = ["delete", "sudo"]
}

path "pki-tenants/+/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "transit/keys/identity-broker-jwt" {
  capabilities = ["create", "read", "update", "delete"]
}

path "transit/keys/identity-broker-jwt/config" {
  capabilities = ["update"]
}

path "transit/keys/identity-broker-jwt-svid" {
  capabilities = ["create", "read", "update", "delete"]
}

path "transit/keys/identity-broker-jwt-svid/config" {
  capabilities = ["update"]
}

path "identity-broker-kv/data/tenants/*" {
  capabilities = ["create", "read", "update", "delete"]
}

path "identity-broker-kv/metadata/tenants/*" {
  capabilities = ["read", "delete", "list"]
}

# Foreign trust domain declarations (module trust-domain).
path "identity-broker-kv/data/trust-domains/*" {
  capabilities = ["create", "read", "update", "delete"]
}

path "identity-broker-kv/metadata/trust-domains/*" {
  capabilities = ["read", "delete", "list"]
}

path "auth/approle/role/identity-broker" {
  capabilities = ["create", "read", "update", "delete"]
}

path "auth/approle/role/identity-broker/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

# --- Tenant admin groups ----------------------------------------------------------------------
path "identity/group" {
  capabilities = ["create", "update"]
}

path "identity/group/id/*" {
  capabilities = ["read", "update", "delete"]
}

path "identity/group/name/identity-broker-tenant-*" {
  capabilities = ["read", "update", "delete"]
}

path "identity/lookup/group" {
  capabilities = ["update"]
}

# --- The provider's short-lived child token for each run --------------------------------------
path "auth/token/create" {
  capabilities = ["update"]
}
