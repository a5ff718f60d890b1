variable "path" {
  description = "Mount path of the root (or platform intermediate) PKI secrets engine."
  type        = string
  default     = "pki-root"
}

variable "vault_addr" {
  description = "Vault address as certificate users reach it (no trailing slash), e.g. https://vault.example.com:8200. Used for the AIA issuing-certificate, CRL distribution point and OCSP URLs written into every certificate this CA signs."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+(/.*[^/])?$", var.vault_addr))
    error_message = "vault_addr must be an http(s) URL without a trailing slash."
  }
}

variable "mode" {
  description = "\"root\": Vault generates a self-signed root CA with an internal (non-exportable) key. \"intermediate\": Vault generates an internal key and a CSR (output csr) for an offline root; set signed_certificate to the certificate that root issued to finish."
  type        = string
  default     = "root"

  validation {
    condition     = contains(["root", "intermediate"], var.mode)
    error_message = "mode must be \"root\" or \"intermediate\"."
  }
}

variable "signed_certificate" {
  description = "Intermediate mode only: the PEM certificate the offline root issued for the csr output, optionally followed by the offline root's chain (the chain is then served by <path>/ca_chain). Leave null until the offline root has signed."
  type        = string
  default     = null
}

variable "common_name" {
  description = "Subject common name of the CA certificate."
  type        = string
  default     = "Identity Broker Root CA"
}

variable "organization" {
  description = "Subject organization (O) of the CA certificate; empty for none."
  type        = string
  default     = ""
}

variable "ttl" {
  description = "Root mode: validity of the self-signed root certificate (Vault duration). Tenant intermediates cannot outlive it."
  type        = string
  default     = "87600h"
}

variable "max_lease_ttl_seconds" {
  description = "Mount's maximum lease TTL in seconds: the cap on any certificate this mount issues or signs (tenant intermediates included)."
  type        = number
  default     = 315360000
}

variable "key_type" {
  description = "CA key type: ec, rsa or ed25519."
  type        = string
  default     = "ec"
}

variable "key_bits" {
  description = "CA key size: 256/384/521 for ec, 2048/3072/4096 for rsa, ignored for ed25519."
  type        = number
  default     = 384
}

variable "crl_expiry" {
  description = "How long each CRL this CA publishes is valid (Vault duration)."
  type        = string
  default     = "72h"
}

variable "crl_auto_rebuild_grace_period" {
  description = "With CRL auto-rebuild on, rebuild the CRL this long before it expires."
  type        = string
  default     = "12h"
}

variable "auto_tidy" {
  description = "Automatic tidy of expired certificates in storage. interval_seconds: how often; safety_buffer_seconds: how long after expiry a certificate is kept."
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

variable "description" {
  description = "Description of the mount."
  type        = string
  default     = "Identity Broker root PKI (signs the per-tenant intermediates)"
}
