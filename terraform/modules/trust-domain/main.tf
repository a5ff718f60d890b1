# A foreign SPIFFE trust domain for the broker (SPIFFE federation): its declaration in KV v2,
# <kv_mount>/trust-domains/<name>, which the broker syncs when BROKER_FEDERATION_SOURCE includes
# vault-kv. Either a bundle endpoint (profile https_web) or a static SPIFFE bundle (profile static).

locals {
  static = var.bundle_json != null
  declaration = merge(
    { profile = local.static ? "static" : "https_web" },
    local.static ? { bundle = var.bundle_json } : { bundle_endpoint_url = var.bundle_endpoint_url },
    var.endpoint_ca == null ? {} : { endpoint_ca = var.endpoint_ca },
  )
}

# vault_generic_secret detects the KV v2 mount and writes <kv_mount>/data/trust-domains/<name>.
resource "vault_generic_secret" "declaration" {
  path      = "${var.kv_mount}/trust-domains/${var.name}"
  data_json = jsonencode(local.declaration)

  lifecycle {
    precondition {
      condition     = (var.bundle_json == null) != (var.bundle_endpoint_url == null)
      error_message = "Set exactly one of bundle_endpoint_url (https_web) and bundle_json (static)."
    }
    precondition {
      condition     = var.bundle_json == null || var.endpoint_ca == null
      error_message = "endpoint_ca belongs to an https_web trust domain, not a static bundle."
    }
  }
}
