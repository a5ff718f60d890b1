variable "policies_dir" {
  description = "Directory holding the policy files identity-broker.hcl, tenant-admin.hcl, platform-admin.hcl, auditor.hcl and metrics-reader.hcl. Default: the repository's vault-policies/ (relative to this module)."
  type        = string
  default     = null
}

variable "transit_path" {
  description = "Mount path of the transit secrets engine holding the JWT signing key. The broker's policy grants transit/sign/identity-broker-jwt."
  type        = string
  default     = "transit"
}

variable "create_transit_mount" {
  description = "Mount transit at transit_path. Set false when a transit engine is already mounted there (the key is still created)."
  type        = bool
  default     = true
}

variable "jwt_key_name" {
  description = "Name of the transit key that signs the broker's JWT access tokens (ES256)."
  type        = string
  default     = "identity-broker-jwt"
}

variable "jwt_svid_key_name" {
  description = "Name of the transit key that signs the broker's JWT-SVIDs (ES256); never the access-token key. The broker's policy grants transit/sign/identity-broker-jwt-svid."
  type        = string
  default     = "identity-broker-jwt-svid"
}

variable "jwt_key_deletion_allowed" {
  description = "Allow `destroy` to delete the JWT signing keys (access tokens and JWT-SVIDs). Keep false in production (deleting it invalidates every issued access token at once); the example sets it true so it can be torn down."
  type        = bool
  default     = false
}

variable "kv_path" {
  description = "Mount path of the KV v2 engine holding the tenant declarations (secrets tenants/<tenant>)."
  type        = string
  default     = "identity-broker-kv"
}

variable "approle_path" {
  description = "Path of the AppRole auth method the broker logs in with."
  type        = string
  default     = "approle"
}

variable "create_approle_backend" {
  description = "Enable the AppRole auth method at approle_path. Set false when it is already enabled there."
  type        = bool
  default     = true
}

variable "role_name" {
  description = "AppRole role of the broker."
  type        = string
  default     = "identity-broker"
}

variable "token_ttl" {
  description = "TTL in seconds of the broker's tokens (it renews them before expiry)."
  type        = number
  default     = 3600
}

variable "token_max_ttl" {
  description = "Maximum TTL in seconds of the broker's tokens (it logs in again after that)."
  type        = number
  default     = 86400
}

variable "secret_id_bound_cidrs" {
  description = "CIDRs the broker may log in from with its secret_id; empty for any."
  type        = list(string)
  default     = []
}

variable "token_bound_cidrs" {
  description = "CIDRs the broker's tokens may be used from; empty for any."
  type        = list(string)
  default     = []
}

variable "create_secret_id" {
  description = "Create a secret_id here (output secret_id, kept in the Terraform state: encrypt the state). Set false to deliver secret_ids out of band, e.g. response-wrapped by your deployment pipeline."
  type        = bool
  default     = true
}
