package io.identitybroker.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM certificates in and out. */
public final class Pem {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";
    private Pem() {
    }

    /**
     * The one certificate in {@code pem}. A single block is decoded here and handed to the JDK as
     * DER: its PEM reader scans byte by byte, about half the parse of a leaf on the enrollment path.
     *
     * @throws IllegalArgumentException when {@code pem} holds no certificate, several, or a malformed one
     */
    public static X509Certificate certificate(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = begin < 0 ? -1 : pem.indexOf(END, begin);
        if (end < 0 || pem.indexOf(BEGIN, end) >= 0) {
            return single(certificates(pem)); // none, unterminated or several: the general path says which
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            throw new IllegalArgumentException("Not a PEM certificate", e);
        }
    }

    private static X509Certificate single(List<X509Certificate> all) {
        if (all.size() != 1) {
            throw new IllegalArgumentException("Expected one certificate, got " + all.size());
        }
        return all.get(0);
    }

    public static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("Not a PEM certificate", e);
        }
    }

    public static String encode(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
