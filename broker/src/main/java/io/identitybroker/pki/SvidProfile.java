package io.identitybroker.pki;

import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Checks that what Vault signed is an X.509-SVID for the identity the broker assigned, before it
 * is bound or returned: a misconfigured role must not silently hand out something else.
 */
public final class SvidProfile {
    private static final int URI_NAME = 6;
    private static final String KEY_USAGE_OID = "2.5.29.15";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private SvidProfile() {
    }

    /** Whether the certificate names {@code uri} among its URI SANs (an unreadable SAN extension names nothing). */
    public static boolean namesUri(X509Certificate cert, String uri) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            return sans != null && sans.stream().anyMatch(san -> Integer.valueOf(URI_NAME).equals(san.get(0))
                    && uri.equals(san.get(1)));
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** @return null when the certificate conforms, else what is wrong */
    public static String violation(X509Certificate cert, String spiffeId, PublicKey expectedKey) {
        if (!Arrays.equals(cert.getPublicKey().getEncoded(), expectedKey.getEncoded())) {
            return "certificate key differs from the CSR key";
        }
        if (cert.getBasicConstraints() != -1) {
            return "certificate is a CA";
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null || sans.size() != 1) {
                return "certificate must carry exactly one SAN";
            }
            List<?> san = sans.iterator().next();
            if (!Integer.valueOf(URI_NAME).equals(san.get(0)) || !spiffeId.equals(san.get(1))) {
                return "certificate SAN is not the assigned SPIFFE ID";
            }
            boolean[] ku = cert.getKeyUsage();
            if (ku == null || !cert.getCriticalExtensionOIDs().contains(KEY_USAGE_OID) || !ku[0]
                    || (ku.length > 5 && ku[5]) || (ku.length > 6 && ku[6])) {
                return "key usage must be critical with digitalSignature and without keyCertSign/cRLSign";
            }
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku == null || !eku.contains(CLIENT_AUTH)) {
                return "extended key usage lacks clientAuth";
            }
        } catch (CertificateParsingException e) {
            return "certificate extensions are unreadable";
        }
        return null;
    }
}
