package io.identitybroker.pki;

import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.FastTest;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link CsrPolicy} as a table: each CSR (real keys, real signatures) with the key algorithm it is
 * accepted as, or the rejection code the client sees. The rules run in order (size, PEM, DER, key,
 * signature, extensions, subject), so a CSR that breaks two rules reports the first.
 */
@FastTest
class CsrPolicyTest {
    private static final String ID = "spiffe://example.org/tenant/acme/agent/0190f3a4-5b6c-7d8e-9f00-112233445566";
    private static final KeyPair P256 = Csrs.ec("secp256r1");

    static Stream<Arguments> accepted() {
        return Stream.of(
                row("EC P-256", () -> Csrs.of(P256).pem(), "EC P-256"),
                row("EC P-384", () -> Csrs.of(Csrs.ec("secp384r1")).pem(), "EC P-384"),
                row("Ed25519", () -> Csrs.of(Csrs.ed25519()).pem(), "Ed25519"),
                row("RSA 2048, SHA-256", () -> Csrs.of(Csrs.rsa(2048)).pem(), "RSA 2048"),
                row("ECDSA with SHA-384", () -> Csrs.signedWith(P256, "SHA384withECDSA").pem(), "EC P-256"),
                row("SAN that is exactly the assigned SPIFFE ID", () -> Csrs.withUriSan(P256, ID).pem(), "EC P-256"),
                row("blank lines around the block", () -> "\n\n" + Csrs.of(P256).pem() + "\n  \n", "EC P-256"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("accepted")
    void acceptedCsrsNameTheirKey(String name, Supplier<String> pem, String keyAlgorithm) {
        String csr = pem.get();
        CsrPolicy.AcceptedCsr accepted = CsrPolicy.check(csr, ID);
        assertEquals(keyAlgorithm, accepted.keyAlgorithm());
        assertEquals(csr.strip() + "\n", accepted.pem(), "the stored PEM is the block itself, with one final newline");
    }

    static Stream<Arguments> rejected() {
        String begin = "-----BEGIN CERTIFICATE REQUEST-----\n";
        String end = "-----END CERTIFICATE REQUEST-----\n";
        return Stream.of(
                row("no CSR", () -> null, "csr_malformed"),
                row("blank", () -> " \n", "csr_malformed"),
                row("over 16 KiB", () -> begin + "QUFB\n".repeat(4200) + end, "csr_too_large"),
                row("not base64", () -> begin + "not base64!\n" + end, "csr_malformed"),
                row("two blocks", () -> Csrs.of(P256).pem() + Csrs.of(P256).pem(), "csr_malformed"),
                row("text after the block", () -> Csrs.of(P256).pem() + "trailing", "csr_malformed"),
                row("a certificate label", () -> Csrs.of(P256).pem().replace("CERTIFICATE REQUEST", "CERTIFICATE"), "csr_malformed"),
                row("base64 of no DER", () -> begin + "QUFBQUFBQUFB\n" + end, "csr_malformed"),
                row("DER with trailing bytes", () -> Csrs.pem(withTrailingByte(Csrs.der(Csrs.of(P256).pem()))), "csr_malformed"),
                row("RSA 1024", () -> Csrs.of(Csrs.rsa(1024)).pem(), "csr_weak_key"),
                row("RSA 4104 bits (key checked before the signature)", () -> rsaKeyCsr(4104, 65537), "csr_unsupported_key"),
                row("RSA exponent 3", () -> rsaKeyCsr(2048, 3), "csr_weak_key"),
                row("RSA even exponent", () -> rsaKeyCsr(2048, 65538), "csr_weak_key"),
                row("RSA 1024 and a bad signature: the key is reported", () -> rsaKeyCsr(1024, 65537), "csr_weak_key"),
                row("EC P-521", () -> Csrs.of(Csrs.ec("secp521r1")).pem(), "csr_unsupported_key"),
                row("explicit curve parameters", Csrs::explicitCurve, "csr_explicit_curve"),
                row("ECDSA with SHA-1", () -> Csrs.signedWith(P256, "SHA1withECDSA").pem(), "csr_weak_signature"),
                row("signature bytes altered", Csrs::badSignature, "csr_bad_signature"),
                row("another SPIFFE ID as SAN", () -> Csrs.withUriSan(P256, ID.replace("acme", "globex")).pem(), "csr_foreign_san"),
                row("a CA requested", () -> Csrs.requestingCa(P256).pem(), "csr_ca_requested"),
                row("a control character in the subject", () -> Csrs.withSubject(P256, new X500Name("CN=a\u0007b")).pem(), "csr_bad_subject"),
                row("a 257-character subject value", () -> Csrs.withSubject(P256, new X500Name("CN=" + "a".repeat(257))).pem(),
                        "csr_bad_subject"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejected")
    void rejectedCsrsNameTheRuleThatFailed(String name, Supplier<String> pem, String code) {
        String csr = pem.get();
        CsrRejectedException e = assertThrows(CsrRejectedException.class, () -> CsrPolicy.check(csr, ID));
        assertEquals(code, e.code());
        assertEquals(400, e.status().getCode());
    }

    private static Arguments row(String name, Supplier<String> pem, Object expected) {
        return Arguments.of(name, pem, expected);
    }

    private static byte[] withTrailingByte(byte[] der) {
        byte[] longer = new byte[der.length + 1];
        System.arraycopy(der, 0, longer, 0, der.length);
        return longer;
    }

    /** A CSR for an RSA public key of the given shape, signed by an unrelated key: only the key rule can judge it. */
    private static String rsaKeyCsr(int bits, long exponent) {
        try {
            BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.valueOf(12345));
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    new RSAPublicKey(modulus, BigInteger.valueOf(exponent)));
            CertificationRequestInfo info = new CertificationRequestInfo(new X500Name("CN=agent"), spki, new DERSet());
            CertificationRequest request = new CertificationRequest(info,
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE),
                    new DERBitString(new byte[bits / 8]));
            return Csrs.pem(request.getEncoded("DER"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
