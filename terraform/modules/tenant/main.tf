locals {
  mount_path   = "${var.mount_prefix}/${var.tenant_id}"
  spiffe_agent = "spiffe://${var.trust_domain}/tenant/${var.tenant_id}/agent/*"
  admin_group  = "identity-broker-tenant-${var.tenant_id}-admins"
  # The role's name, taken from the created role so that users of it wait for it.
  role_name = trimprefix(vault_generic_endpoint.agent_role.path, "${vault_mount.pki.path}/roles/")
}

# --- Per-tenant intermediate CA: pki-tenants/<tenant> ---

resource "vault_mount" "pki" {
  path                      = local.mount_path
  type                      = "pki"
  description               = "Identity Broker tenant ${var.tenant_id}: intermediate CA for agent X.509-SVIDs"
  default_lease_ttl_seconds = 86400
  max_lease_ttl_seconds     = 157680000
}

resource "vault_pki_secret_backend_config_urls" "this" {
  backend                 = vault_mount.pki.path
  issuing_certificates    = ["${var.vault_addr}/v1/${local.mount_path}/ca"]
  crl_distribution_points = ["${var.vault_addr}/v1/${local.mount_path}/crl"]
  ocsp_servers            = ["${var.vault_addr}/v1/${local.mount_path}/ocsp"]
}

# CRL and auto-tidy through the generic endpoint (works with provider 3.x to 5.x; see the
# pki-root module). Only the fields written here are compared on refresh.
resource "vault_generic_endpoint" "crl_config" {
  path                 = "${vault_mount.pki.path}/config/crl"
  disable_delete       = true
  ignore_absent_fields = true
  data_json = jsonencode({
    expiry                    = var.crl_expiry
    disable                   = false
    auto_rebuild              = true
    auto_rebuild_grace_period = "12h"
    ocsp_disable              = false
  })
}

resource "vault_generic_endpoint" "auto_tidy" {
  path                 = "${vault_mount.pki.path}/config/auto-tidy"
  disable_delete       = true
  ignore_absent_fields = true
  data_json = jsonencode({
    enabled            = var.auto_tidy.enabled
    interval_duration  = var.auto_tidy.interval_seconds
    safety_buffer      = var.auto_tidy.safety_buffer_seconds
    tidy_cert_store    = true
    tidy_revoked_certs = true
  })
}

resource "vault_pki_secret_backend_intermediate_cert_request" "this" {
  backend              = vault_mount.pki.path
  type                 = "internal"
  common_name          = "Identity Broker tenant ${var.tenant_id} intermediate CA"
  organization         = var.display_name
  key_type             = var.intermediate_key_type
  key_bits             = var.intermediate_key_bits
  format               = "pem"
  exclude_cn_from_sans = true
}

resource "vault_pki_secret_backend_root_sign_intermediate" "this" {
  backend              = var.root_mount_path
  csr                  = vault_pki_secret_backend_intermediate_cert_request.this.csr
  common_name          = "Identity Broker tenant ${var.tenant_id} intermediate CA"
  organization         = var.display_name
  ttl                  = var.intermediate_ttl
  format               = "pem"
  exclude_cn_from_sans = true
  # Agents' certificates are leaves: this CA never signs another CA.
  max_path_length = 0
}

resource "vault_pki_secret_backend_intermediate_set_signed" "this" {
  backend = vault_mount.pki.path
  # Intermediate first, then its issuer, so <mount>/ca_chain serves the whole chain.
  certificate = join("\n", [
    trimspace(vault_pki_secret_backend_root_sign_intermediate.this.certificate),
    trimspace(vault_pki_secret_backend_root_sign_intermediate.this.issuing_ca),
  ])
}

# The X.509-SVID profile: exactly one SPIFFE URI SAN under the tenant's path, chosen by the
# caller (the broker) within allowed_uri_sans; nothing taken from the CSR; a leaf with
# digitalSignature and clientAuth/serverAuth.
#
# Written through the generic endpoint rather than vault_pki_secret_backend_role: that resource
# in provider 3.3.1 (the newest this project can build, see scripts/lib/ensure-tofu.sh) rejects
# key_type = "any", which the broker needs (it accepts EC P-256/P-384, Ed25519 and RSA
# 2048-4096 CSRs and enforces that itself). The body is the PKI
# API's, so it means the same on every provider version. Durations are in seconds because that
# is how Vault returns them on read (no perpetual diff).
resource "vault_generic_endpoint" "agent_role" {
  path                 = "${vault_mount.pki.path}/roles/${var.role_name}"
  ignore_absent_fields = true
  data_json = jsonencode({
    allowed_uri_sans = [local.spiffe_agent]

    allow_any_name     = false
    allowed_domains    = []
    allow_bare_domains = false
    allow_subdomains   = false
    allow_glob_domains = false
    allow_localhost    = false
    allow_ip_sans      = false
    enforce_hostnames  = true
    require_cn         = false

    use_csr_common_name = false
    use_csr_sans        = false

    basic_constraints_valid_for_non_ca = true
    key_usage                          = ["DigitalSignature"]
    ext_key_usage                      = ["ClientAuth", "ServerAuth"]
    server_flag                        = true
    client_flag                        = true
    code_signing_flag                  = false
    email_protection_flag              = false

    key_type = "any"
    key_bits = 0

    ttl                 = var.certificate_ttl_seconds
    max_ttl             = var.certificate_ttl_seconds
    not_before_duration = 30

    # Keep issued certificates in storage so they can be revoked by serial and listed.
    no_store       = false
    generate_lease = false
  })

  depends_on = [vault_pki_secret_backend_intermediate_set_signed.this]
}

# --- Tenant administrators ---

# Members get the (templated) tenant-admin policy. The template reads
# identity.entity.metadata.tenant, so each member ENTITY must also have metadata tenant=<id>;
# the group's own metadata below is informational.
resource "vault_identity_group" "admins" {
  name     = local.admin_group
  type     = "internal"
  policies = var.admin_group_policies
  # Either this module owns the membership, or somebody else does (and it is left alone).
  member_entity_ids          = var.external_member_entity_ids ? null : var.admin_member_entity_ids
  external_member_entity_ids = var.external_member_entity_ids
  metadata = {
    tenant = var.tenant_id
  }
}

# --- The tenant's declaration for the broker (KV v2) ---

# vault_generic_secret detects the KV v2 mount and writes <kv_mount>/data/tenants/<id>.
resource "vault_generic_secret" "declaration" {
  path = "${var.kv_mount}/tenants/${var.tenant_id}"
  data_json = jsonencode({
    display_name = var.display_name
    trust_domain = var.trust_domain
    pki_mount    = vault_mount.pki.path
    pki_role     = local.role_name
  })
}
