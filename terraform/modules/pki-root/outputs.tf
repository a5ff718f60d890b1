output "path" {
  description = "Mount path of this CA; pass it to the tenant module as root_mount_path."
  # Through the CA resources, so a dependent module waits until the CA can actually sign.
  value = local.is_root ? vault_pki_secret_backend_root_cert.root[0].backend : (
    var.signed_certificate != null ? vault_pki_secret_backend_intermediate_set_signed.this[0].backend : vault_mount.pki.path
  )
}

output "mode" {
  description = "\"root\" or \"intermediate\"."
  value       = var.mode
}

output "ready" {
  description = "True when the mount holds a CA and can sign tenant intermediates (always in root mode; in intermediate mode once signed_certificate is set)."
  value       = local.ready
}

output "certificate" {
  description = "PEM certificate of this CA: the self-signed root, or in intermediate mode the imported signed certificate (null until imported). Distribute it as the trust anchor."
  value       = local.is_root ? vault_pki_secret_backend_root_cert.root[0].certificate : var.signed_certificate
}

output "csr" {
  description = "Intermediate mode: PEM CSR to take to the offline root. Null in root mode."
  value       = local.is_root ? null : vault_pki_secret_backend_intermediate_cert_request.this[0].csr
}

output "urls" {
  description = "AIA issuing-certificate, CRL distribution point and OCSP URLs configured on the mount."
  value       = local.urls
}
