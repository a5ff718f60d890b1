# The complete Identity Broker set-up in one Vault / OpenBao:
#   pki-root           a root CA (internal key) that signs one intermediate per tenant
#   broker-access      policies, transit JWT key, KV v2 for tenant declarations, the broker's AppRole
#   tenant (x2)        pki-tenants/acme and pki-tenants/globex with role agent, admin group, declaration
#   trust-domain       foreign SPIFFE trust domains the broker federates with (KV declarations)

module "root" {
  source = "../../modules/pki-root"

  vault_addr   = var.vault_addr
  common_name  = "Identity Broker Example Root CA"
  organization = "Identity Broker example"
}

module "broker_access" {
  source = "../../modules/broker-access"

  jwt_key_deletion_allowed = var.jwt_key_deletion_allowed
}

# One block per tenant would work just as well (module "tenant_acme" { ... }); for_each keeps
# the example short. Removing a tenant from the map DESTROYS its mount and with it every
# certificate it issued: see docs/terraform.md.
module "tenant" {
  source   = "../../modules/tenant"
  for_each = var.tenants

  tenant_id       = each.key
  display_name    = each.value.display_name
  trust_domain    = each.value.trust_domain
  root_mount_path = module.root.path
  vault_addr      = var.vault_addr
  kv_mount        = module.broker_access.kv_mount_path

  # The admin group's members need metadata tenant=<id> on their entities, see the module README.
  admin_member_entity_ids = lookup(var.tenant_admin_entity_ids, each.key, [])
}

# Foreign SPIFFE trust domains (SPIFFE federation): the broker fetches their bundles and accepts
# their SVIDs from the external clients tenant admins register (docs/federation.md).
module "trust_domain" {
  source   = "../../modules/trust-domain"
  for_each = var.foreign_trust_domains

  name                = each.key
  kv_mount            = module.broker_access.kv_mount_path
  bundle_endpoint_url = each.value.bundle_endpoint_url
  endpoint_ca         = each.value.endpoint_ca
  bundle_json         = each.value.bundle_json
  endpoint_spiffe_id  = each.value.endpoint_spiffe_id
}
