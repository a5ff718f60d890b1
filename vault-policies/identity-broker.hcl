# identity-broker: the broker service's own Vault token (AppRole role "identity-broker").
#
# Least privilege. The broker signs agent CSRs through each tenant's `agent` role (never
# `issue`, `sign-verbatim`, or anything under `root/`), revokes certificates by serial, reads
# CA material and CRLs for the trust bundles it serves, signs JWT access tokens with one transit
# key and JWT-SVIDs with another, keeps its own token alive, reads declarative tenant definitions
# from KV v2, lists and reads the certificates its tenant mounts stored (issuance reconciliation),
# and anchors each audit chain's head in KV v2.
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

# Issuance reconciliation: after a crash between Vault's signature and the broker's commit, the
# broker looks for the certificate Vault stored for the identity it was issuing (the role stores
# what it signs), to revoke it. Certificates are public; listing and reading them grants nothing else.
path "pki-tenants/+/certs" {
  capabilities = ["list"]
}

path "pki-tenants/+/cert/*" {
  capabilities = ["read"]
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

# --- Audit chain anchors: the head (seq, hash) of each chain, outside the broker's database ---

# Written (check-and-set) every broker.audit.anchor.interval and read by verification. No delete,
# no destroy, no metadata writes: the broker cannot erase an anchor it set.
path "identity-broker-kv/data/audit-anchors/*" {
  capabilities = ["create", "update", "read"]
}

# --- Declarative foreign trust domains (SPIFFE federation), KV v2 ---

path "identity-broker-kv/data/trust-domains/*" {
  capabilities = ["read", "list"]
}

path "identity-broker-kv/metadata/trust-domains/*" {
  capabilities = ["read", "list"]
}
