# A foreign SPIFFE trust domain for the broker (SPIFFE federation): its declaration in KV v2,
# <kv_mount>/trust-domains/<name>, which the broker syncs when BROKER_FEDERATION_SOURCE includes
# vault-kv. A bundle endpoint (profile https_web, or https_spiffe with a bootstrap bundle and the
# endpoint's SPIFFE ID) or a static SPIFFE bundle (profile static).

locals {
  profile = var.endpoint_spiffe_id != null ? "https_spiffe" : var.bundle_json != null ? "static" : "https_web"
  declaration = merge(
    { profile = local.profile },
    var.bundle_endpoint_url == null ? {} : { bundle_endpoint_url = var.bundle_endpoint_url },
    var.bundle_json == null ? {} : { bundle = var.bundle_json },
    var.endpoint_ca == null ? {} : { endpoint_ca = var.endpoint_ca },
    var.endpoint_spiffe_id == null ? {} : { endpoint_spiffe_id = var.endpoint_spiffe_id },
  )
}

# vault_generic_secret detects the KV v2 mount and writes <kv_mount>/data/trust-domains/<name>.
resource "vault_generic_secret" "declaration" {
  path      = "${var.kv_mount}/trust-domains/${var.name}"
  data_json = jsonencode(local.declaration)

  lifecycle {
    precondition {
      condition     = local.profile == "static" ? var.bundle_endpoint_url == null : var.bundle_endpoint_url != null
      error_message = "A static trust domain has no bundle_endpoint_url; https_web and https_spiffe need one."
    }
    precondition {
      condition     = local.profile != "https_spiffe" || var.bundle_json != null
      error_message = "https_spiffe (endpoint_spiffe_id set) needs the bootstrap bundle in bundle_json."
    }
    precondition {
      condition     = var.endpoint_ca == null || local.profile == "https_web"
      error_message = "endpoint_ca belongs to an https_web trust domain."
    }
  }
}
