variable "vault_addr" {
  description = "Vault address as the broker and certificate users reach it, no trailing slash (export TF_VAR_vault_addr=\"$VAULT_ADDR\"). Used in the CAs' AIA/CRL/OCSP URLs and in the outputs."
  type        = string
}

variable "tenants" {
  description = "Tenants to provision: id => display name and SPIFFE trust domain."
  type = map(object({
    display_name = string
    trust_domain = string
  }))
  default = {
    acme = {
      display_name = "ACME Corporation"
      trust_domain = "acme.example"
    }
    globex = {
      display_name = "Globex Corporation"
      trust_domain = "globex.example"
    }
  }
}

variable "tenant_admin_entity_ids" {
  description = "Tenant id => identity entity ids to put in the tenant's admin group. Each entity also needs metadata tenant=<tenant id> (the tenant-admin policy is templated on it)."
  type        = map(list(string))
  default     = {}
}

variable "jwt_key_deletion_allowed" {
  description = "Let `tofu destroy` delete the JWT signing key (true here so the example can be torn down; keep false in production)."
  type        = bool
  default     = true
}

variable "foreign_trust_domains" {
  description = "Foreign SPIFFE trust domains: name => bundle_endpoint_url (+ endpoint_ca) for https_web, bundle_endpoint_url + endpoint_spiffe_id + bootstrap bundle_json for https_spiffe, or bundle_json for a static bundle."
  type = map(object({
    bundle_endpoint_url = optional(string)
    endpoint_ca         = optional(string)
    bundle_json         = optional(string)
    endpoint_spiffe_id  = optional(string)
  }))
  default = {
    "partner.example" = {
      bundle_endpoint_url = "https://spire.partner.example:8443"
    }
  }
}
