package io.identitybroker.crypto;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Signatures made by the JDK verify through {@link Signatures}; anything altered does not. */
@FastTest
class SignaturesTest {
    private static final byte[] DATA = "header.payload".getBytes(StandardCharsets.US_ASCII);

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] sign(KeyPair k, String algorithm) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(k.getPrivate());
        s.update(DATA);
        return s.sign();
    }

    @Test
    void onLinuxX86TheVerificationRunsOnBoringSsl() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")), "Conscrypt's uber jar targets this platform");
        assertTrue(Signatures.isNative());
        assertEquals("Conscrypt", Signatures.providerName());
        assertEquals("Conscrypt", Signatures.providerFor("SHA256withECDSA"), "ECDSA certificates");
        assertEquals("Conscrypt", Signatures.providerFor("SHA384withRSA"), "RSA PKCS#1 certificates");
        assertEquals(null, Signatures.providerFor("RSASSA-PSS"), "PSS stays with the JDK, which names it");
    }

    @Test
    void jwsSignaturesOfTheJdkVerifyWhateverTheHighBitsOfRAndS() throws Exception {
        // 64 signatures: R and S with and without their high bit set, and so with and without DER padding.
        KeyPair k = p256();
        for (int i = 0; i < 64; i++) {
            byte[] rs = sign(k, "SHA256withECDSAinP1363Format");
            assertTrue(Signatures.verifyP1363("SHA256withECDSA", (ECPublicKey) k.getPublic(), DATA, rs), "signature " + i);
        }
    }

    @Test
    void alteredOrMisshapenJwsSignaturesAreRefused() throws Exception {
        KeyPair k = p256();
        ECPublicKey key = (ECPublicKey) k.getPublic();
        byte[] rs = sign(k, "SHA256withECDSAinP1363Format");
        byte[] flipped = rs.clone();
        flipped[10] ^= 1;
        byte[] zeroR = rs.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        byte[] padded = new byte[66];
        System.arraycopy(rs, 0, padded, 1, 32);
        System.arraycopy(rs, 32, padded, 34, 32);
        assertFalse(Signatures.verifyP1363("SHA256withECDSA", key, DATA, flipped), "altered signature");
        assertFalse(Signatures.verifyP1363("SHA256withECDSA", key, "other".getBytes(StandardCharsets.US_ASCII), rs), "other data");
        assertFalse(Signatures.verifyP1363("SHA256withECDSA", key, DATA, zeroR), "R = 0");
        assertFalse(Signatures.verifyP1363("SHA256withECDSA", key, DATA, padded), "R and S padded to 33 bytes");
        assertFalse(Signatures.verifyP1363("SHA256withECDSA", key, DATA, Arrays.copyOf(rs, 63)), "short");
        assertFalse(Signatures.verifyP1363("SHA256withECDSA", (ECPublicKey) p256().getPublic(), DATA, rs), "another key");
    }

    @Test
    void derSignaturesVerifyWithKeysParsedFromTheirEncoding() throws Exception {
        KeyPair k = p256();
        byte[] der = sign(k, "SHA256withECDSA");
        var key = Signatures.publicKey("EC", k.getPublic().getEncoded());
        assertTrue(Signatures.verify("SHA256withECDSA", key, DATA, der));
        assertEquals(new BigInteger(1, k.getPublic().getEncoded()), new BigInteger(1, key.getEncoded()), "same SubjectPublicKeyInfo");
        assertFalse(Signatures.verify("SHA256withECDSA", key, DATA, Arrays.copyOf(der, der.length - 1)), "truncated");
        assertFalse(Signatures.verify("NoSuchAlgorithm", key, DATA, der), "unknown algorithm is a refusal, not an exception");
    }
}
