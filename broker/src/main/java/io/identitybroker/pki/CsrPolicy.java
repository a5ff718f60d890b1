package io.identitybroker.pki;

import io.identitybroker.api.ProblemType;
import io.identitybroker.crypto.Signatures;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.Provider;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the broker accepts as a CSR. The CSR only proves possession of a key: the identity comes
 * from the broker. Each rejection has its own code so clients can tell what to fix.
 */
public final class CsrPolicy {
    public static final int MAX_PEM_BYTES = 16 * 1024;
    private static final Pattern PEM = Pattern.compile(
            "\\A\\s*-----BEGIN CERTIFICATE REQUEST-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n?-----END CERTIFICATE REQUEST-----\\s*\\z");
    private static final Set<ASN1ObjectIdentifier> STRONG_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, PKCSObjectIdentifiers.id_RSASSA_PSS,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512, EdECObjectIdentifiers.id_Ed25519);
    /** Signature algorithms verified natively ({@link Signatures}); RSA-PSS and Ed25519 (rare here) stay with BouncyCastle. */
    private static final Map<ASN1ObjectIdentifier, String> NATIVE_SIGNATURES = Map.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");
    private static final BigInteger F4 = BigInteger.valueOf(65537);
    private static final Provider BC = new BouncyCastleProvider();

    private CsrPolicy() {
    }

    /**
     * A CSR that passed every rule.
     *
     * @param keyAlgorithm e.g. {@code EC P-256}, for the audit trail
     */
    public record AcceptedCsr(String pem, PublicKey publicKey, String keyAlgorithm) {
    }

    /**
     * Checks {@code pem} for the identity {@code spiffeId}.
     *
     * @throws CsrRejectedException with the rule that failed
     */
    public static AcceptedCsr check(String pem, String spiffeId) {
        if (pem == null || pem.isBlank()) {
            throw new CsrRejectedException(ProblemType.CSR_MALFORMED, "csr is required: one PEM 'CERTIFICATE REQUEST' block.");
        }
        if (pem.length() > MAX_PEM_BYTES) {
            throw new CsrRejectedException(ProblemType.CSR_TOO_LARGE, "The CSR is larger than " + MAX_PEM_BYTES + " bytes.");
        }
        Matcher m = PEM.matcher(pem);
        if (!m.matches() || m.group(1).contains("-")) {
            throw new CsrRejectedException(ProblemType.CSR_MALFORMED,
                    "Send exactly one PEM 'CERTIFICATE REQUEST' block and nothing else.");
        }
        byte[] der;
        PKCS10CertificationRequest csr;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
            // fromByteArray refuses trailing bytes; re-encoding must give back the input (DER, not BER).
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            csr = new PKCS10CertificationRequest(CertificationRequest.getInstance(primitive));
            if (!Arrays.equals(csr.getEncoded(), der)) {
                throw new IllegalArgumentException("not DER");
            }
        } catch (Exception e) {
            throw new CsrRejectedException(ProblemType.CSR_MALFORMED, "The CSR is not a valid DER PKCS#10 request.");
        }
        String keyAlgorithm = checkKey(csr.getSubjectPublicKeyInfo());
        PublicKey key = checkSignature(csr);
        checkExtensions(csr, spiffeId);
        checkSubject(csr);
        return new AcceptedCsr(pem.strip() + "\n", key, keyAlgorithm);
    }

    private static String checkKey(SubjectPublicKeyInfo spki) {
        AlgorithmIdentifier alg = spki.getAlgorithm();
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            ASN1Encodable params = alg.getParameters();
            if (!(params instanceof ASN1ObjectIdentifier curve)) {
                throw new CsrRejectedException(ProblemType.CSR_EXPLICIT_CURVE,
                        "EC keys must name their curve (P-256 or P-384); explicit curve parameters are refused.");
            }
            if (X9ObjectIdentifiers.prime256v1.equals(curve)) {
                return "EC P-256";
            }
            if (SECObjectIdentifiers.secp384r1.equals(curve)) {
                return "EC P-384";
            }
            throw new CsrRejectedException(ProblemType.CSR_UNSUPPORTED_KEY, "Only the EC curves P-256 and P-384 are accepted.");
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
            return "Ed25519";
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            RSAPublicKey rsa;
            try {
                rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
            } catch (Exception e) {
                throw new CsrRejectedException(ProblemType.CSR_MALFORMED, "The RSA public key is malformed.");
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw new CsrRejectedException(ProblemType.CSR_WEAK_KEY,
                        "RSA keys must have at least 2048 bits; this one has " + bits + ".");
            }
            if (bits > 4096) {
                throw new CsrRejectedException(ProblemType.CSR_UNSUPPORTED_KEY, "RSA keys may have at most 4096 bits.");
            }
            BigInteger e = rsa.getPublicExponent();
            if (!e.testBit(0) || e.compareTo(F4) < 0) {
                throw new CsrRejectedException(ProblemType.CSR_WEAK_KEY,
                        "The RSA public exponent must be odd and at least 65537.");
            }
            return "RSA " + bits;
        }
        throw new CsrRejectedException(ProblemType.CSR_UNSUPPORTED_KEY,
                "Accepted keys: EC P-256/P-384, Ed25519, RSA 2048-4096.");
    }

    /**
     * The proof of possession; returns the CSR's key. EC and RSA (PKCS#1 v1.5) go to BoringSSL: a
     * fresh key per CSR made BouncyCastle precompute point tables for every request (about half the
     * exchange's CPU in the profile, docs/profiles/).
     */
    private static PublicKey checkSignature(PKCS10CertificationRequest csr) {
        ASN1ObjectIdentifier algorithm = csr.getSignatureAlgorithm().getAlgorithm();
        if (!STRONG_SIGNATURES.contains(algorithm)) {
            throw new CsrRejectedException(ProblemType.CSR_WEAK_SIGNATURE,
                    "The CSR must be signed with SHA-256 or stronger (RSA, RSA-PSS, ECDSA) or Ed25519.");
        }
        String jca = Signatures.isNative() ? NATIVE_SIGNATURES.get(algorithm) : null;
        String keyType = jca == null ? null : jca.endsWith("RSA") ? "RSA" : "EC";
        PublicKey key = null;
        boolean valid;
        try {
            // A key that cannot be read (e.g. a point off the curve) cannot have signed: a bad signature, as before.
            key = jca == null ? new JcaPKCS10CertificationRequest(csr).setProvider(BC).getPublicKey()
                    : Signatures.publicKey(keyType, csr.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER));
            if (jca != null) {
                // The DER round trip above makes the re-encoded request info the bytes that were signed.
                byte[] signed = csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
                valid = Signatures.verify(jca, key, signed, csr.getSignature());
            } else {
                ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().setProvider(BC)
                        .build(csr.getSubjectPublicKeyInfo());
                valid = csr.isSignatureValid(verifier);
            }
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw new CsrRejectedException(ProblemType.CSR_BAD_SIGNATURE,
                    "The CSR's signature does not verify with its own key.");
        }
        return key;
    }

    private static void checkExtensions(PKCS10CertificationRequest csr, String spiffeId) {
        var requests = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (requests.length == 0) {
            return;
        }
        Extensions extensions;
        try {
            if (requests.length > 1 || requests[0].getAttrValues().size() != 1) {
                throw new IllegalArgumentException("several extension requests");
            }
            extensions = Extensions.getInstance(requests[0].getAttrValues().getObjectAt(0));
        } catch (Exception e) {
            throw new CsrRejectedException(ProblemType.CSR_MALFORMED, "The CSR's extension request is malformed.");
        }
        BasicConstraints bc = BasicConstraints.fromExtensions(extensions);
        KeyUsage ku = KeyUsage.fromExtensions(extensions);
        if ((bc != null && bc.isCA()) || (ku != null && (ku.hasUsages(KeyUsage.keyCertSign) || ku.hasUsages(KeyUsage.cRLSign)))) {
            throw new CsrRejectedException(ProblemType.CSR_CA_REQUESTED, "Agent certificates cannot be CAs.");
        }
        GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (sans != null) {
            GeneralName[] names = sans.getNames();
            boolean onlyOurs = names.length == 1 && names[0].getTagNo() == GeneralName.uniformResourceIdentifier
                    && spiffeId.equals(((ASN1String) names[0].getName()).getString());
            if (!onlyOurs) {
                throw new CsrRejectedException(ProblemType.CSR_FOREIGN_SAN,
                        "The CSR may carry no SAN or exactly the SPIFFE ID the broker assigns; the broker decides the identity.");
            }
        }
    }

    private static void checkSubject(PKCS10CertificationRequest csr) {
        for (RDN rdn : csr.getSubject().getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String value = atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString();
                if (value.length() > 256 || value.codePoints().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
                    throw new CsrRejectedException(ProblemType.CSR_BAD_SUBJECT,
                            "The CSR subject contains control characters or overlong values.");
                }
            }
        }
    }
}
