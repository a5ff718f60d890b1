package io.identitybroker.oauth;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * P-256 public keys as RFC 7517 JSON Web Keys, both ways, using the JDK only. A key read from a
 * JWK is checked to be a point on P-256, so a crafted JWKS cannot slip in a key on another curve.
 */
public final class EcJwk {
    /** The only curve and algorithm this broker signs with. */
    public static final String CURVE = "P-256";
    public static final String ALGORITHM = "ES256";

    private static final ECParameterSpec P256 = p256();
    private static final int COORDINATE_BYTES = 32;

    private EcJwk() {
    }

    /** The JWK members of a P-256 key, with {@code kid}, {@code alg} ES256 and {@code use} sig. */
    public static Map<String, Object> toJwk(ECPublicKey key, String kid) {
        requireP256(key);
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", CURVE);
        jwk.put("x", coordinate(key.getW().getAffineX()));
        jwk.put("y", coordinate(key.getW().getAffineY()));
        jwk.put("kid", kid);
        jwk.put("alg", ALGORITHM);
        jwk.put("use", "sig");
        return jwk;
    }

    /** Reads an EC P-256 JWK; anything else (RSA, oct, other curves, private members) is refused. */
    public static ECPublicKey fromJwk(Map<String, ?> jwk) {
        if (!"EC".equals(jwk.get("kty")) || !CURVE.equals(jwk.get("crv"))) {
            throw new IllegalArgumentException("not an EC P-256 key");
        }
        if (jwk.containsKey("d")) {
            throw new IllegalArgumentException("a JWKS must not carry private keys");
        }
        Object alg = jwk.get("alg");
        if (alg != null && !ALGORITHM.equals(alg)) {
            throw new IllegalArgumentException("key is not for ES256");
        }
        BigInteger x = unsigned(jwk.get("x"));
        BigInteger y = unsigned(jwk.get("y"));
        return publicKey(new ECPoint(x, y));
    }

    /** Reads a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo), as Vault's transit engine returns it. */
    public static ECPublicKey fromPem(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
            if (!(key instanceof ECPublicKey ec)) {
                throw new IllegalArgumentException("not an EC key");
            }
            requireP256(ec);
            return ec;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable public key", e);
        }
    }

    private static ECPublicKey publicKey(ECPoint point) {
        if (!onCurve(point)) {
            throw new IllegalArgumentException("point is not on P-256");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid EC key", e);
        }
    }

    private static void requireP256(ECPublicKey key) {
        ECParameterSpec params = key.getParams();
        if (params.getCurve().equals(P256.getCurve()) && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder())) {
            return;
        }
        throw new IllegalArgumentException("key is not on P-256");
    }

    /** y^2 = x^3 + ax + b (mod p), with both coordinates inside the field. */
    private static boolean onCurve(ECPoint point) {
        BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger rhs = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(rhs);
    }

    private static String coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[COORDINATE_BYTES];
        int copy = Math.min(raw.length, COORDINATE_BYTES);
        System.arraycopy(raw, raw.length - copy, fixed, COORDINATE_BYTES - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static BigInteger unsigned(Object member) {
        if (!(member instanceof String s)) {
            throw new IllegalArgumentException("missing coordinate");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("coordinate is not base64url");
        }
        if (bytes.length != COORDINATE_BYTES) {
            throw new IllegalArgumentException("coordinate must be 32 bytes");
        }
        return new BigInteger(1, bytes);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks P-256", e);
        }
    }
}
