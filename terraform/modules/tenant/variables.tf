variable "tenant_id" {
  description = "Tenant id (slug [a-z0-9][a-z0-9-]{0,62}); the same id the broker uses."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.tenant_id))
    error_message = "tenant_id must match [a-z0-9][a-z0-9-]{0,62}."
  }
}

variable "display_name" {
  description = "Human-readable tenant name (broker tenant declaration, CA subject organization)."
  type        = string
}

variable "trust_domain" {
  description = "SPIFFE trust domain of the tenant's agents: lower-case DNS-like name without scheme, e.g. acme.example. Agents get spiffe://<trust_domain>/tenant/<tenant_id>/agent/<agent_id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$", var.trust_domain))
    error_message = "trust_domain must be a lower-case name of letters, digits, '.', '-' and '_' (no scheme, no port, no path)."
  }
}

variable "root_mount_path" {
  description = "Mount path of the PKI that signs this tenant's intermediate (the pki-root module's path output)."
  type        = string
}

variable "vault_addr" {
  description = "Vault address as certificate users reach it (no trailing slash); used for the AIA, CRL and OCSP URLs of the tenant's mount."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+(/.*[^/])?$", var.vault_addr))
    error_message = "vault_addr must be an http(s) URL without a trailing slash."
  }
}

variable "mount_prefix" {
  description = "Prefix of the tenant PKI mounts. The mount is <mount_prefix>/<tenant_id>; the broker's Vault policy grants pki-tenants/+/sign/agent, so change it only together with that policy."
  type        = string
  default     = "pki-tenants"
}

variable "role_name" {
  description = "Name of the X.509-SVID signing role on the tenant mount. The broker's policy grants sign/agent only."
  type        = string
  default     = "agent"
}

variable "intermediate_ttl" {
  description = "Validity of the tenant's intermediate CA certificate (Vault duration); must not exceed the root's."
  type        = string
  default     = "43800h"
}

variable "intermediate_key_type" {
  description = "Key type of the tenant intermediate: ec, rsa or ed25519."
  type        = string
  default     = "ec"
}

variable "intermediate_key_bits" {
  description = "Key size of the tenant intermediate (256/384 for ec, 2048+ for rsa)."
  type        = number
  default     = 256
}

variable "certificate_ttl_seconds" {
  description = "TTL (and max TTL) in seconds of agent certificates signed by the role (24 h)."
  type        = number
  default     = 86400
}

variable "crl_expiry" {
  description = "How long each CRL of the tenant's mount is valid (Vault duration)."
  type        = string
  default     = "72h"
}

variable "auto_tidy" {
  description = "Automatic tidy of expired agent certificates. interval_seconds: how often; safety_buffer_seconds: how long after expiry a certificate is kept."
  type = object({
    enabled               = bool
    interval_seconds      = number
    safety_buffer_seconds = number
  })
  default = {
    enabled               = true
    interval_seconds      = 43200
    safety_buffer_seconds = 259200
  }
}

variable "kv_mount" {
  description = "KV v2 mount holding the broker's tenant declarations (the broker-access module's kv_mount_path output: pass that output, not a literal, so the mount exists first)."
  type        = string
  default     = "identity-broker-kv"
}

variable "admin_group_policies" {
  description = "Policies of the tenant's admin group. tenant-admin is templated on identity.entity.metadata.tenant."
  type        = list(string)
  default     = ["tenant-admin"]
}

variable "admin_member_entity_ids" {
  description = "Identity entity ids to make members of the tenant's admin group. Each entity must ALSO carry metadata tenant=<tenant_id>: the tenant-admin policy is templated on the entity's metadata, not on the group's. Leave empty to manage membership elsewhere."
  type        = list(string)
  default     = []
}

variable "external_member_entity_ids" {
  description = "Set true when the admin group's members are managed outside this module (e.g. vault_identity_group_member_entity_ids, or by hand); admin_member_entity_ids is then ignored and membership changes are not reverted."
  type        = bool
  default     = false
}
