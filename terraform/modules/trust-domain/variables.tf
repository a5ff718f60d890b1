variable "name" {
  description = "The foreign SPIFFE trust domain name (lowercase letters, digits, '.', '-', '_')."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9._-]{1,255}$", var.name))
    error_message = "name must be a SPIFFE trust domain name."
  }
}

variable "kv_mount" {
  description = "The KV v2 mount of the broker's declarations (broker-access output kv_mount_path)."
  type        = string
  default     = "identity-broker-kv"
}

variable "bundle_endpoint_url" {
  description = "https URL of the trust domain's SPIFFE bundle endpoint (profile https_web), e.g. a SPIRE server's federation endpoint or another broker's /spiffe/bundles/<trust domain>."
  type        = string
  default     = null
  validation {
    condition     = var.bundle_endpoint_url == null || can(regex("^https://[^@#/]+(/[^#]*)?$", var.bundle_endpoint_url))
    error_message = "bundle_endpoint_url must be an https URL without userinfo or fragment."
  }
}

variable "endpoint_ca" {
  description = "PEM roots that verify the bundle endpoint's TLS certificate (https_web); null for the broker JVM's trust store."
  type        = string
  default     = null
}

variable "bundle_json" {
  description = "The SPIFFE bundle (JWK Set JSON), e.g. the output of `spire-server bundle show -format spiffe`: the bundle itself (profile static), or the bootstrap bundle with endpoint_spiffe_id (profile https_spiffe)."
  type        = string
  default     = null
}

variable "endpoint_spiffe_id" {
  description = "The SPIFFE ID the bundle endpoint presents (profile https_spiffe, e.g. spiffe://partner.example/spire/server); needs bundle_endpoint_url and the bootstrap bundle_json."
  type        = string
  default     = null
  validation {
    condition     = var.endpoint_spiffe_id == null || can(regex("^spiffe://[a-z0-9._-]+/", var.endpoint_spiffe_id))
    error_message = "endpoint_spiffe_id must be a SPIFFE ID."
  }
}
