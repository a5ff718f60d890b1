output "policy_names" {
  description = "Names of the five policies written (identity-broker, tenant-admin, platform-admin, auditor, metrics-reader)."
  value       = sort([for p in vault_policy.this : p.name])
}

output "broker_policy_name" {
  description = "The broker's own policy."
  value       = vault_policy.this["identity-broker"].name
}

output "transit_path" {
  description = "Mount path of the transit engine."
  value       = vault_transit_secret_backend_key.jwt.backend
}

output "jwt_key_name" {
  description = "Name of the ES256 transit key that signs access tokens."
  value       = vault_transit_secret_backend_key.jwt.name
}

output "jwt_svid_key_name" {
  description = "Name of the ES256 transit key that signs JWT-SVIDs."
  value       = vault_transit_secret_backend_key.jwt_svid.name
}

output "kv_mount_path" {
  description = "Mount path of the KV v2 engine for tenant declarations; pass it to the tenant module's kv_mount."
  value       = vault_mount.kv.path
}

output "approle_path" {
  description = "Path of the AppRole auth method (login at auth/<approle_path>/login)."
  value       = vault_approle_auth_backend_role.broker.backend
}

output "role_name" {
  description = "The broker's AppRole role."
  value       = vault_approle_auth_backend_role.broker.role_name
}

output "role_id" {
  description = "RoleID of the broker's AppRole (BROKER_VAULT_APPROLE_ROLE_ID). An identifier, not a secret on its own, but keep it out of public logs."
  value       = vault_approle_auth_backend_role.broker.role_id
}

output "secret_id" {
  description = "A SecretID for the broker's AppRole (the content of BROKER_VAULT_APPROLE_SECRET_ID_FILE). Null when create_secret_id is false."
  value       = var.create_secret_id ? vault_approle_auth_backend_role_secret_id.broker[0].secret_id : null
  sensitive   = true
}

output "secret_id_accessor" {
  description = "Accessor of that SecretID (to look it up or destroy it without knowing it)."
  value       = var.create_secret_id ? vault_approle_auth_backend_role_secret_id.broker[0].accessor : null
}
