/**
 * Certificate issuance. {@link io.identitybroker.pki.PkiBackend} is the port the rest of the broker
 * uses; {@link io.identitybroker.pki.VaultPkiBackend} signs through a tenant's Vault PKI mount
 * ({@code <mount>/sign/<role>}, never {@code sign-verbatim}) and revokes by serial.
 * {@link io.identitybroker.pki.CsrPolicy} is the one check every CSR passes before Vault sees it
 * (enrollment, rotation, EST), next to {@link io.identitybroker.pki.SvidProfile}, the profile the
 * signed certificate must have.
 */
package io.identitybroker.pki;
