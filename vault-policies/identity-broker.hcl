# identity-broker: the broker service's own Vault token (AppRole role "identity-broker").
#
# Least privilege. The broker signs agent CSRs through each tenant's `agent` role (never
# `issue`, `sign-verbatim`, or anything under `root/`), revokes certificates by serial, reads
# CA material and CRLs for the trust bundles it serves, signs JWT access tokens with one transit
# key and JWT-SVIDs with another, keeps its own token alive, and reads declarative tenant definitions from KV v2.
# It gets nothing under sys/: admin authorization uses sys/capabilities-self, which every
# token may call through the built-in `default` policy.

# --- Per-tenant intermediate PKI mounts: pki-tenants/<tenant>/ ---

# Sign an agent CSR with the X.509-SVID role. The role, not the caller, fixes the profile.
path "pki-tenants/+/sign/agent" {
  capabilities = ["update"]
}

# Revoke an issued certificate by serial (agent revocation, orphaned certificate clean-up).
path "pki-tenants/+/revoke" {
  capabilities = ["update"]
}

# CA chain, CA certificate, CRL and URLs: trust bundles for mTLS and the exchange response.
path "pki-tenants/+/cert/ca_chain" {
  capabilities = ["read"]
}

path "pki-tenants/+/ca_chain" {
  capabilities = ["read"]
}

path "pki-tenants/+/ca/pem" {
  capabilities = ["read"]
}

path "pki-tenants/+/crl" {
  capabilities = ["read"]
}

path "pki-tenants/+/crl/pem" {
  capabilities = ["read"]
}

path "pki-tenants/+/config/urls" {
  capabilities = ["read"]
}

# Read the role definition (readiness check: the role exists and has the expected profile).
path "pki-tenants/+/roles/agent" {
  capabilities = ["read"]
}

# --- Transit: JWT access-token signing (ES256) ---

path "transit/sign/identity-broker-jwt" {
  capabilities = ["update"]
}

# Hash algorithm in the path (e.g. transit/sign/identity-broker-jwt/sha2-256).
path "transit/sign/identity-broker-jwt/*" {
  capabilities = ["update"]
}

# Public keys for the JWKS document.
path "transit/keys/identity-broker-jwt" {
  capabilities = ["read"]
}

# --- Transit: JWT-SVID signing (ES256), a key of its own ---
# Never the access-token key: neither key set may verify the other's tokens.

path "transit/sign/identity-broker-jwt-svid" {
  capabilities = ["update"]
}

path "transit/sign/identity-broker-jwt-svid/*" {
  capabilities = ["update"]
}

# Public keys for the jwt-svid entries of the SPIFFE trust bundles.
path "transit/keys/identity-broker-jwt-svid" {
  capabilities = ["read"]
}

# --- The broker's own token ---

path "auth/token/renew-self" {
  capabilities = ["update"]
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}

# --- Declarative tenants (KV v2, reserved for future use) ---

path "identity-broker-kv/data/tenants/*" {
  capabilities = ["read", "list"]
}

path "identity-broker-kv/metadata/tenants/*" {
  capabilities = ["read", "list"]
}
