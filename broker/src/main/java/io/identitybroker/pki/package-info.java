/**
 * Certificate issuance. {@link io.identitybroker.pki.PkiBackend} is the port the rest of the broker
 * uses; {@link io.identitybroker.pki.VaultPkiBackend} signs through a tenant's Vault PKI mount
 * ({@code <mount>/sign/<role>}, never {@code sign-verbatim}) and revokes by serial.
 */
package io.identitybroker.pki;
