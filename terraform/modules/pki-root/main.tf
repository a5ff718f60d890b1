locals {
  is_root = var.mode == "root"
  # The mount can sign once it has a CA: always in root mode, in intermediate mode only after
  # the offline root's certificate has been imported.
  ready = local.is_root || var.signed_certificate != null

  urls = {
    issuing_certificates    = ["${var.vault_addr}/v1/${var.path}/ca"]
    crl_distribution_points = ["${var.vault_addr}/v1/${var.path}/crl"]
    ocsp_servers            = ["${var.vault_addr}/v1/${var.path}/ocsp"]
  }
}

resource "vault_mount" "pki" {
  path                      = var.path
  type                      = "pki"
  description               = var.description
  default_lease_ttl_seconds = 3600
  max_lease_ttl_seconds     = var.max_lease_ttl_seconds
}

# AIA, CRL distribution point and OCSP URLs, written into every certificate signed here.
resource "vault_pki_secret_backend_config_urls" "this" {
  backend                 = vault_mount.pki.path
  issuing_certificates    = local.urls.issuing_certificates
  crl_distribution_points = local.urls.crl_distribution_points
  ocsp_servers            = local.urls.ocsp_servers
}

# CRL configuration through the generic endpoint: provider 3.3.1's
# vault_pki_secret_backend_crl_config has no auto_rebuild (and no auto-tidy resource exists there). ignore_absent_fields: compare only the
# fields written here, not everything the endpoint returns.
resource "vault_generic_endpoint" "crl_config" {
  path                 = "${vault_mount.pki.path}/config/crl"
  disable_delete       = true
  ignore_absent_fields = true
  data_json = jsonencode({
    expiry                    = var.crl_expiry
    disable                   = false
    auto_rebuild              = true
    auto_rebuild_grace_period = var.crl_auto_rebuild_grace_period
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

# --- mode = "root": a self-signed root with a key that never leaves Vault ---

resource "vault_pki_secret_backend_root_cert" "root" {
  count = local.is_root ? 1 : 0

  backend              = vault_mount.pki.path
  type                 = "internal"
  common_name          = var.common_name
  organization         = var.organization
  ttl                  = var.ttl
  key_type             = var.key_type
  key_bits             = var.key_bits
  format               = "pem"
  exclude_cn_from_sans = true

  depends_on = [vault_pki_secret_backend_config_urls.this]
}

# --- mode = "intermediate": CSR out for an offline root, signed certificate back in ---

resource "vault_pki_secret_backend_intermediate_cert_request" "this" {
  count = local.is_root ? 0 : 1

  backend              = vault_mount.pki.path
  type                 = "internal"
  common_name          = var.common_name
  organization         = var.organization
  key_type             = var.key_type
  key_bits             = var.key_bits
  format               = "pem"
  exclude_cn_from_sans = true
}

resource "vault_pki_secret_backend_intermediate_set_signed" "this" {
  count = !local.is_root && var.signed_certificate != null ? 1 : 0

  backend     = vault_mount.pki.path
  certificate = var.signed_certificate

  depends_on = [vault_pki_secret_backend_intermediate_cert_request.this]
}
