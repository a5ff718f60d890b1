output "declaration_path" {
  description = "Where the declaration lives (KV v2 logical path, without /data/)."
  value       = vault_generic_secret.declaration.path
}

output "profile" {
  description = "https_web or static."
  value       = local.declaration.profile
}
