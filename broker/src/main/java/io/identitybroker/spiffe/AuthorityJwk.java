package io.identitybroker.spiffe;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A root CA as an X.509 authority of a SPIFFE bundle: a JWK with {@code use} {@code x509-svid},
 * the certificate's public key (EC on P-256/P-384/P-521, or RSA) and the certificate itself as the
 * single {@code x5c} entry. A root with any other key type cannot be published: it is refused.
 */
final class AuthorityJwk {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private AuthorityJwk() {
    }

    static Map<String, Object> of(X509Certificate root) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("use", "x509-svid");
        PublicKey key = root.getPublicKey();
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String curve = switch (bits) {
                case 256 -> "P-256";
                case 384 -> "P-384";
                case 521 -> "P-521";
                default -> throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits");
            };
            int size = (bits + 7) / 8;
            jwk.put("kty", "EC");
            jwk.put("crv", curve);
            jwk.put("x", fixed(ec.getW().getAffineX(), size));
            jwk.put("y", fixed(ec.getW().getAffineY(), size));
        } else if (key instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("n", unsigned(rsa.getModulus()));
            jwk.put("e", unsigned(rsa.getPublicExponent()));
        } else {
            throw new IllegalArgumentException("unsupported root key type " + key.getAlgorithm());
        }
        try {
            jwk.put("x5c", List.of(Base64.getEncoder().encodeToString(root.getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("root cannot be encoded", e);
        }
        return jwk;
    }

    /** Big-endian, left-padded to the curve's coordinate size (RFC 7518 §6.2.1.2). */
    private static String fixed(BigInteger value, int size) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
        return B64URL.encodeToString(out);
    }

    /** Big-endian without a sign byte (RFC 7518 §6.3.1). */
    private static String unsigned(BigInteger value) {
        byte[] raw = value.toByteArray();
        int skip = raw.length > 1 && raw[0] == 0 ? 1 : 0;
        return B64URL.encodeToString(java.util.Arrays.copyOfRange(raw, skip, raw.length));
    }
}
