package io.identitybroker.testing;

import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ECPoint;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Real CSRs, good and bad, signed with real keys. */
public final class Csrs {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private Csrs() {
    }

    /** A key pair and its CSR. */
    public record Csr(KeyPair keys, String pem) {
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Csr p256() {
        return of(ec("secp256r1"));
    }

    public static Csr of(KeyPair keys) {
        return build(keys, new X500Name("CN=agent"), null, signatureFor(keys));
    }

    public static Csr withUriSan(KeyPair keys, String uri) {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        try {
            ext.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return build(keys, new X500Name("CN=agent"), ext, signatureFor(keys));
    }

    public static Csr requestingCa(KeyPair keys) {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        try {
            ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return build(keys, new X500Name("CN=agent"), ext, signatureFor(keys));
    }

    public static Csr signedWith(KeyPair keys, String algorithm) {
        return build(keys, new X500Name("CN=agent"), null, algorithm);
    }

    public static Csr withSubject(KeyPair keys, X500Name subject) {
        return build(keys, subject, null, signatureFor(keys));
    }

    /** A valid CSR whose signature bytes were altered afterwards. */
    public static String badSignature() {
        Csr good = p256();
        byte[] der = der(good.pem());
        der[der.length - 3] ^= 0x5a;
        return pem(der);
    }

    /** A P-256 key encoded with explicit curve parameters instead of the curve's name, validly signed. */
    public static String explicitCurve() {
        try {
            KeyPair keys = ec("secp256r1");
            X9ECParameters params = NISTNamedCurves.getByName("P-256");
            ECPublicKey pub = (ECPublicKey) keys.getPublic();
            var point = params.getCurve().createPoint(pub.getW().getAffineX(), pub.getW().getAffineY());
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, new X962Parameters(params)),
                    new X9ECPoint(point, false).getPointEncoding());
            CertificationRequestInfo info = new CertificationRequestInfo(new X500Name("CN=agent"), spki, new DERSet());
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(info.getEncoded("DER"));
            CertificationRequest req = new CertificationRequest(info,
                    new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256), new DERBitString(s.sign()));
            return pem(req.getEncoded("DER"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    public static byte[] der(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String signatureFor(KeyPair keys) {
        return switch (keys.getPublic().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
    }

    private static Csr build(KeyPair keys, X500Name subject, ExtensionsGenerator ext, String algorithm) {
        try {
            PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
            if (ext != null) {
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            PKCS10CertificationRequest req = b.build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(keys.getPrivate()));
            return new Csr(keys, pem(req.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
