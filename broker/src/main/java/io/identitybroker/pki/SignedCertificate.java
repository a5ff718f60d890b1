package io.identitybroker.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate Vault signed.
 *
 * @param serialNumber Vault's colon-separated hex serial, as Vault's revoke endpoint expects it
 * @param x5tS256      RFC 8705 thumbprint: base64url SHA-256 of the DER, no padding
 */
public record SignedCertificate(X509Certificate certificate, String certificatePem, List<String> caChainPem,
                                String serialNumber, String x5tS256) {

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }
}
