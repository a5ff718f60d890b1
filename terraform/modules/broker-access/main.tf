locals {
  policies_dir = coalesce(var.policies_dir, "${path.module}/../../../vault-policies")
  # Policy name => file. identity-broker is the broker's own; tenant-admin, platform-admin and
  # auditor are the human roles the broker authorizes through sys/capabilities-self;
  # metrics-reader is for a Prometheus scraper (read on identity-broker/metrics only).
  policy_files = {
    "identity-broker" = "identity-broker.hcl"
    "tenant-admin"    = "tenant-admin.hcl"
    "platform-admin"  = "platform-admin.hcl"
    "auditor"         = "auditor.hcl"
    "metrics-reader"  = "metrics-reader.hcl"
  }
}

resource "vault_policy" "this" {
  for_each = local.policy_files

  name   = each.key
  policy = file("${local.policies_dir}/${each.value}")
}

# --- Transit: the ES256 key that signs JWT access tokens ---

resource "vault_mount" "transit" {
  count = var.create_transit_mount ? 1 : 0

  path        = var.transit_path
  type        = "transit"
  description = "Identity Broker: JWT access-token signing"
}

resource "vault_transit_secret_backend_key" "jwt" {
  backend                = var.create_transit_mount ? vault_mount.transit[0].path : var.transit_path
  name                   = var.jwt_key_name
  type                   = "ecdsa-p256"
  exportable             = false
  allow_plaintext_backup = false
  deletion_allowed       = var.jwt_key_deletion_allowed
}

# A key of its own for JWT-SVIDs, so access tokens and JWT-SVIDs never verify as each other.
resource "vault_transit_secret_backend_key" "jwt_svid" {
  backend                = vault_transit_secret_backend_key.jwt.backend
  name                   = var.jwt_svid_key_name
  type                   = "ecdsa-p256"
  exportable             = false
  allow_plaintext_backup = false
  deletion_allowed       = var.jwt_key_deletion_allowed
}

# --- KV v2: declarative tenants (written by the tenant module, read by the broker) ---

resource "vault_mount" "kv" {
  path        = var.kv_path
  type        = "kv"
  description = "Identity Broker: tenant declarations"
  options = {
    version = "2"
  }
}

# --- AppRole login for the broker ---

resource "vault_auth_backend" "approle" {
  count = var.create_approle_backend ? 1 : 0

  type = "approle"
  path = var.approle_path
}

resource "vault_approle_auth_backend_role" "broker" {
  backend        = var.create_approle_backend ? vault_auth_backend.approle[0].path : var.approle_path
  role_name      = var.role_name
  token_policies = [vault_policy.this["identity-broker"].name]
  token_ttl      = var.token_ttl
  token_max_ttl  = var.token_max_ttl
  token_type     = "service"
  bind_secret_id = true

  secret_id_bound_cidrs = var.secret_id_bound_cidrs
  token_bound_cidrs     = var.token_bound_cidrs
}

resource "vault_approle_auth_backend_role_secret_id" "broker" {
  count = var.create_secret_id ? 1 : 0

  backend   = vault_approle_auth_backend_role.broker.backend
  role_name = vault_approle_auth_backend_role.broker.role_name
  metadata = jsonencode({
    purpose = "identity-broker"
  })
}
