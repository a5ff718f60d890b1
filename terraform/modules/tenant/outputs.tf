output "tenant_id" {
  description = "The tenant id."
  value       = var.tenant_id
}

output "display_name" {
  description = "The tenant's display name."
  value       = var.display_name
}

output "trust_domain" {
  description = "The tenant's SPIFFE trust domain."
  value       = var.trust_domain
}

output "pki_mount" {
  description = "Path of the tenant's PKI mount (pki-tenants/<tenant>)."
  value       = vault_mount.pki.path
}

output "pki_role" {
  description = "Name of the agent signing role (the broker calls <pki_mount>/sign/<pki_role>)."
  value       = local.role_name
}

output "spiffe_id_pattern" {
  description = "The role's allowed URI SAN pattern."
  value       = local.spiffe_agent
}

output "ca_certificate" {
  description = "PEM certificate of the tenant's intermediate CA."
  value       = vault_pki_secret_backend_root_sign_intermediate.this.certificate
}

output "ca_chain" {
  description = "PEM chain: the tenant's intermediate followed by its issuer."
  value       = vault_pki_secret_backend_intermediate_set_signed.this.certificate
}

output "admin_group_name" {
  description = "Name of the tenant's admin identity group."
  value       = vault_identity_group.admins.name
}

output "admin_group_id" {
  description = "Id of the tenant's admin identity group (add members with vault_identity_group_member_entity_ids if membership is managed elsewhere)."
  value       = vault_identity_group.admins.id
}

output "declaration_path" {
  description = "KV v2 path of the tenant's declaration for the broker (logical path; the API path has /data/ after the mount)."
  value       = vault_generic_secret.declaration.path
}

output "broker_tenant" {
  description = "The tenant as the broker sees it (the same fields as the KV declaration, plus the id)."
  value = {
    id           = var.tenant_id
    display_name = var.display_name
    trust_domain = var.trust_domain
    pki_mount    = vault_mount.pki.path
    pki_role     = local.role_name
  }
}
