package io.identitybroker.crypto;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Where the broker verifies signatures on a request path (the CSR's proof of possession, client
 * certificate chains, JWS signatures it checks itself). Conscrypt (BoringSSL) does the work; it is
 * registered once, at the lowest priority, only so that APIs that take a provider name
 * ({@link java.security.cert.X509Certificate#verify(PublicKey, String)}, PKIX's
 * {@code setSigProvider}) can ask for it; default JCA lookups elsewhere are unchanged.
 *
 * <p>Failure behaviour: where Conscrypt's native library cannot load (a platform the uber jar does
 * not carry), verification falls back to BouncyCastle for CSRs and JWS and to the JDK's default
 * providers for certificate chains, with one warning at the first check; results are the same,
 * only slower. Certificates signed with RSASSA-PSS always use the JDK's providers. A signature that
 * does not verify, or a key or algorithm the provider refuses, is always {@code false}, never an
 * exception.
 */
public final class Signatures {
    private static final Logger LOG = LoggerFactory.getLogger(Signatures.class);
    private static final Provider BC = new BouncyCastleProvider();
    /** Certificate signature algorithms (upper case) that go to Conscrypt; it has no name for RSASSA-PSS. */
    private static final Set<String> NATIVE_CERTIFICATE_ALGORITHMS = Set.of(
            "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA", "SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA");
    /** Conscrypt when it loaded, else null. */
    private static final Provider NATIVE = loadNative();

    private Signatures() {
    }

    private static Provider loadNative() {
        try {
            if (Conscrypt.isAvailable()) {
                Provider p = Conscrypt.newProvider();
                if (Security.getProvider(p.getName()) == null) {
                    Security.addProvider(p); // appended: the lowest priority
                }
                return Security.getProvider(p.getName());
            }
            LOG.warn("Conscrypt is not available on this platform; signature checks fall back to BouncyCastle and the JDK");
        } catch (Throwable e) { // UnsatisfiedLinkError and friends from the native library
            LOG.warn("Conscrypt could not load ({}); signature checks fall back to BouncyCastle and the JDK", e.toString());
        }
        return null;
    }

    /** Whether verification runs on BoringSSL (tests and the start-up log). */
    public static boolean isNative() {
        return NATIVE != null;
    }

    /**
     * The provider name for APIs that take one ({@code X509Certificate.verify}, PKIX's
     * {@code setSigProvider}); null means the JDK's default choice.
     */
    public static String providerName() {
        return NATIVE == null ? null : NATIVE.getName();
    }

    /**
     * The provider name for certificates signed with {@code jcaAlgorithm} (e.g. an X.509
     * certificate's {@code getSigAlgName()}): Conscrypt for ECDSA and RSA PKCS#1 v1.5 with SHA-2,
     * null (the JDK's choice) for anything else, such as RSASSA-PSS, which Conscrypt does not name.
     */
    public static String providerFor(String jcaAlgorithm) {
        return NATIVE != null && NATIVE_CERTIFICATE_ALGORITHMS.contains(jcaAlgorithm.toUpperCase(Locale.ROOT))
                ? NATIVE.getName() : null;
    }

    /** The public key of a DER SubjectPublicKeyInfo, parsed by the provider that will verify with it. */
    public static PublicKey publicKey(String keyAlgorithm, byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
        return KeyFactory.getInstance(keyAlgorithm, NATIVE == null ? BC : NATIVE)
                .generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
    }

    /**
     * Whether {@code signature} (DER for ECDSA, as in X.509 and PKCS#10) over {@code data} verifies
     * with {@code key} under the JCA algorithm (e.g. {@code SHA256withECDSA}, {@code SHA256withRSA},
     * {@code Ed25519}).
     */
    public static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm, NATIVE == null ? BC : NATIVE);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * ES256/ES384 as JWS carries it: R || S (IEEE P1363), each as long as the curve's size. Converted
     * to DER for the provider; BoringSSL refuses R or S outside 1..n-1 as the JDK does.
     */
    public static boolean verifyP1363(String algorithm, ECPublicKey key, byte[] data, byte[] rs) {
        // Exactly twice the curve's size, as the JDK's P1363 format demands: no padded or short forms.
        int half = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        if (rs.length != 2 * half) {
            return false;
        }
        byte[] r = derInteger(Arrays.copyOfRange(rs, 0, half));
        byte[] s = derInteger(Arrays.copyOfRange(rs, half, rs.length));
        ByteArrayOutputStream der = new ByteArrayOutputStream(8 + r.length + s.length);
        der.write(0x30);
        int body = r.length + s.length;
        if (body >= 128) {
            der.write(0x81);
        }
        der.write(body);
        der.writeBytes(r);
        der.writeBytes(s);
        return verify(algorithm, key, data, der.toByteArray());
    }

    /** A DER INTEGER of an unsigned big-endian value: leading zeros dropped, one zero kept before a high bit. */
    private static byte[] derInteger(byte[] unsigned) {
        int i = 0;
        while (i < unsigned.length - 1 && unsigned[i] == 0) {
            i++;
        }
        boolean pad = (unsigned[i] & 0x80) != 0;
        int len = unsigned.length - i + (pad ? 1 : 0);
        byte[] out = new byte[2 + len];
        out[0] = 0x02;
        out[1] = (byte) len;
        System.arraycopy(unsigned, i, out, 2 + (pad ? 1 : 0), unsigned.length - i);
        return out;
    }
}
