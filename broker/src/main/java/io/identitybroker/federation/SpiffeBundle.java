package io.identitybroker.federation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SPIFFE bundle (SPIFFE Trust Domain and Bundle, §4): a JWK Set whose {@code x509-svid} keys
 * carry one CA certificate each in {@code x5c} and whose {@code jwt-svid} keys carry a
 * {@code kid}, plus the optional {@code spiffe_sequence} and {@code spiffe_refresh_hint}.
 * Parsing is strict where it matters to trust: duplicate members, a private key member, an
 * {@code x509-svid} entry that is not exactly one CA certificate, or a {@code jwt-svid} key
 * without {@code kid} or of an unsupported type refuse the whole bundle; entries of unknown
 * {@code use} are ignored, as the specification asks.
 */
public record SpiffeBundle(String trustDomain, List<X509Certificate> x509Authorities, Map<String, PublicKey> jwtAuthorities,
                           Long sequence, Duration refreshHint) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final int MAX_BYTES = 256 * 1024;

    public SpiffeBundle {
        x509Authorities = List.copyOf(x509Authorities);
        jwtAuthorities = Map.copyOf(jwtAuthorities);
    }

    /** Parses a bundle of {@code trustDomain}; throws IllegalArgumentException with a safe message. */
    public static SpiffeBundle parse(String trustDomain, String json) {
        if (json == null || json.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the bundle is missing or larger than 256 KiB");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the bundle is not valid JSON");
        }
        if (root == null || !root.path("keys").isArray()) {
            throw new IllegalArgumentException("the bundle has no 'keys' array");
        }
        List<X509Certificate> x509 = new ArrayList<>();
        Map<String, PublicKey> jwt = new LinkedHashMap<>();
        for (JsonNode key : root.path("keys")) {
            if (key.has("d") || key.has("p") || key.has("q") || key.has("k")) {
                throw new IllegalArgumentException("the bundle carries private key material");
            }
            String use = key.path("use").asText("");
            if (use.equals("x509-svid")) {
                x509.add(authority(key));
            } else if (use.equals("jwt-svid")) {
                String kid = key.path("kid").asText("");
                if (kid.isEmpty() || kid.length() > 256) {
                    throw new IllegalArgumentException("a jwt-svid key has no kid");
                }
                if (jwt.put(kid, publicKey(key)) != null) {
                    throw new IllegalArgumentException("two jwt-svid keys share a kid");
                }
            }
        }
        Long sequence = root.path("spiffe_sequence").canConvertToLong() ? root.path("spiffe_sequence").asLong() : null;
        Duration hint = root.path("spiffe_refresh_hint").canConvertToLong() && root.path("spiffe_refresh_hint").asLong() > 0
                ? Duration.ofSeconds(root.path("spiffe_refresh_hint").asLong()) : null;
        return new SpiffeBundle(trustDomain, x509, jwt, sequence, hint);
    }

    private static X509Certificate authority(JsonNode key) {
        JsonNode x5c = key.path("x5c");
        if (!x5c.isArray() || x5c.size() != 1 || !x5c.get(0).isTextual()) {
            throw new IllegalArgumentException("an x509-svid key must carry exactly one certificate in x5c");
        }
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(x5c.get(0).asText())));
            if (cert.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("an x509-svid authority is not a CA certificate");
            }
            return cert;
        } catch (CertificateException | IllegalArgumentException e) {
            throw e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("an x509")
                    ? iae : new IllegalArgumentException("an x509-svid certificate cannot be read");
        }
    }

    /** An EC (P-256, P-384, P-521) or RSA (at least 2048 bits) public JWK. */
    static PublicKey publicKey(JsonNode jwk) {
        try {
            return switch (jwk.path("kty").asText("")) {
                case "EC" -> {
                    String curve = switch (jwk.path("crv").asText("")) {
                        case "P-256" -> "secp256r1";
                        case "P-384" -> "secp384r1";
                        case "P-521" -> "secp521r1";
                        default -> throw new IllegalArgumentException("unsupported curve");
                    };
                    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                    params.init(new ECGenParameterSpec(curve));
                    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                    ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
                    if (!onCurve(point, spec)) {
                        throw new IllegalArgumentException("a jwt-svid key is not on its curve");
                    }
                    yield KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
                }
                case "RSA" -> {
                    BigInteger n = unsigned(jwk, "n");
                    if (n.bitLength() < 2048) {
                        throw new IllegalArgumentException("RSA keys under 2048 bits are refused");
                    }
                    yield KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, unsigned(jwk, "e")));
                }
                default -> throw new IllegalArgumentException("unsupported key type");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a jwt-svid key is invalid");
        }
    }

    /** y^2 = x^3 + ax + b (mod p), coordinates inside the field: a crafted bundle cannot slip in an off-curve point. */
    private static boolean onCurve(ECPoint point, ECParameterSpec spec) {
        BigInteger p = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(rhs);
    }

    private static BigInteger unsigned(JsonNode jwk, String member) {
        JsonNode value = jwk.path(member);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("a key lacks '" + member + "'");
        }
        try {
            return new BigInteger(1, Base64.getUrlDecoder().decode(value.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key member is not base64url");
        }
    }
}
