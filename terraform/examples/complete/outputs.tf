output "vault_addr" {
  description = "VAULT_ADDR for the broker."
  value       = var.vault_addr
}

output "approle_path" {
  description = "AppRole auth mount the broker logs in at."
  value       = module.broker_access.approle_path
}

output "role_id" {
  description = "BROKER_VAULT_APPROLE_ROLE_ID."
  value       = module.broker_access.role_id
}

output "secret_id" {
  description = "Content of the file named by BROKER_VAULT_APPROLE_SECRET_ID_FILE. Sensitive: `tofu output -raw secret_id > file`."
  value       = module.broker_access.secret_id
  sensitive   = true
}

output "jwt_svid_transit_key" {
  description = "The transit key that signs JWT-SVIDs (never access tokens)."
  value       = "${module.broker_access.transit_path}/keys/${module.broker_access.jwt_svid_key_name}"
}

output "jwt_transit_key" {
  description = "Transit mount and key that sign the broker's access tokens."
  value       = "${module.broker_access.transit_path}/keys/${module.broker_access.jwt_key_name}"
}

output "root_ca_certificate" {
  description = "PEM root certificate: the trust anchor for all tenants' agent certificates."
  value       = module.root.certificate
}

output "tenants" {
  description = "Tenants as the broker sees them: id => display_name, trust_domain, pki_mount, pki_role."
  value       = { for id, t in module.tenant : id => t.broker_tenant }
}

output "tenant_admin_groups" {
  description = "Tenant id => name of its admin identity group."
  value       = { for id, t in module.tenant : id => t.admin_group_name }
}
