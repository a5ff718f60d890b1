package io.identitybroker.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Certificates made in the test, for the attacks the broker must refuse. */
public final class TestCertificates {
    private TestCertificates() {
    }

    public static X509Certificate parse(String pem) {
        return parseAll(pem).get(0);
    }

    public static List<X509Certificate> parseAll(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Leaf then CA chain, as a TLS client presents them. */
    public static List<X509Certificate> chain(String leafPem, List<String> caChainPem) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(parse(leafPem));
        for (String ca : caChainPem) {
            chain.addAll(parseAll(ca));
        }
        return chain;
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed client certificate whose single URI SAN is {@code uri}. */
    public static X509Certificate selfSigned(KeyPair keys, String uri) {
        Instant now = Instant.now();
        return build(new X500Name("CN=impostor"), new X500Name("CN=impostor"), BigInteger.valueOf(now.toEpochMilli()),
                now.minusSeconds(60), now.plus(Duration.ofHours(1)), keys, keys.getPrivate(), uri, false);
    }

    /** A CA certificate (self-signed) named {@code subject}. */
    public static X509Certificate ca(KeyPair keys, String subject) {
        Instant now = Instant.now();
        return build(new X500Name(subject), new X500Name(subject), BigInteger.valueOf(now.toEpochMilli()),
                now.minusSeconds(60), now.plus(Duration.ofHours(1)), keys, keys.getPrivate(), null, true);
    }

    /** A leaf for {@code uri} signed by {@code caKeys} under {@code ca}'s name. */
    public static X509Certificate issuedBy(X509Certificate ca, PrivateKey caKey, KeyPair keys, String uri) {
        Instant now = Instant.now();
        return build(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), new X500Name("CN=agent"),
                BigInteger.valueOf(now.toEpochMilli()), now.minusSeconds(60), now.plus(Duration.ofHours(1)),
                keys, caKey, uri, false);
    }

    /**
     * A copy of {@code original} (same serial, issuer and subject names, SAN and validity) for another
     * key, signed by a key that is not the real issuer's.
     */
    public static X509Certificate forgedCopy(X509Certificate original, KeyPair newKeys, PrivateKey signer) {
        try {
            String uri = String.valueOf(original.getSubjectAlternativeNames().iterator().next().get(1));
            return build(X500Name.getInstance(original.getIssuerX500Principal().getEncoded()),
                    X500Name.getInstance(original.getSubjectX500Principal().getEncoded()), original.getSerialNumber(),
                    original.getNotBefore().toInstant(), original.getNotAfter().toInstant(), newKeys, signer, uri, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, BigInteger serial, Instant notBefore,
                                         Instant notAfter, KeyPair subjectKeys, PrivateKey signer, String uri, boolean ca) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            if (uri != null) {
                // RFC 5280: with an empty subject (as Vault's SVIDs have) the SAN must be critical.
                b.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
            }
            String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                    : signer.getAlgorithm().equals("Ed25519") ? "Ed25519" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
