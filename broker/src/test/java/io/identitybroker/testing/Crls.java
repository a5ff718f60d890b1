package io.identitybroker.testing;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;

/** Reads a tenant mount's CRL from Vault, as a relying party would, and parses it with the JDK. */
public final class Crls {
    private Crls() {
    }

    public static X509CRL of(TestVault vault, String mount) {
        String pem = vault.request("GET", mount + "/cert/crl", null).path("data").path("certificate").asText();
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException("Vault's CRL of " + mount + " does not parse", e);
        }
    }

    /** Whether Vault's colon-separated hex serial is on the mount's CRL. */
    public static boolean lists(TestVault vault, String mount, String vaultSerial) {
        return of(vault, mount).getRevokedCertificate(serial(vaultSerial)) != null;
    }

    public static BigInteger serial(String vaultSerial) {
        return new BigInteger(vaultSerial.replace(":", ""), 16);
    }
}
