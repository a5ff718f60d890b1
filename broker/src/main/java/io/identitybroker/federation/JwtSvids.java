package io.identitybroker.federation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.crypto.CompactJws;
import io.identitybroker.ids.SpiffeId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and verifies a JWT-SVID (SPIFFE JWT-SVID §2-3) used as a client assertion. The header is
 * checked first: the algorithm must be an asymmetric one of RFC 7518 (ES256/384/512, RS256/384/512,
 * PS256/384/512; {@code none} and HMAC are refused), {@code kid} is required, and keys or URLs the
 * token would supply itself ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) and {@code crit}
 * are refused. The subject's trust domain picks the bundle; the signature is checked with that
 * bundle's {@code jwt-svid} key of the same {@code kid} only. Refusals are {@link Refused} with an
 * audit reason code, never shown to the client.
 */
final class JwtSvids {
    static final int MAX_LENGTH = 8192;
    /** Clock skew tolerated against a foreign issuer. */
    static final Duration LEEWAY = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> FORBIDDEN_HEADER = Set.of("jwk", "jku", "x5u", "x5c", "crit");
    private static final Map<String, String> ALGORITHMS = Map.of(
            "ES256", "SHA256withECDSAinP1363Format", "ES384", "SHA384withECDSAinP1363Format",
            "ES512", "SHA512withECDSAinP1363Format", "RS256", "SHA256withRSA", "RS384", "SHA384withRSA",
            "RS512", "SHA512withRSA", "PS256", "RSASSA-PSS", "PS384", "RSASSA-PSS", "PS512", "RSASSA-PSS");

    private JwtSvids() {
    }

    /** A refusal and its audit reason. */
    static final class Refused extends Exception {
        private final String reason;

        Refused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** The parts of a JWT-SVID before its signature is checked. */
    record Unverified(String alg, String kid, SpiffeId subject, JsonNode claims, byte[] signingInput, byte[] signature) {
    }

    /** A verified JWT-SVID. */
    record Verified(SpiffeId subject, Instant expiresAt, String jwtId) {
    }

    static Unverified parse(String token) throws Refused {
        if (token == null || token.length() > MAX_LENGTH || !CompactJws.wellFormed(token, true)) {
            throw new Refused("malformed_assertion");
        }
        // An unsigned token (alg none) has an empty third part: still parsed, to be refused by its algorithm.
        String[] parts = token.split("\\.", -1);
        JsonNode header = json(parts[0]);
        String alg = header.path("alg").asText("");
        if (alg.equalsIgnoreCase("none") || alg.startsWith("HS") || !ALGORITHMS.containsKey(alg)) {
            throw new Refused("algorithm_not_allowed");
        }
        for (String member : FORBIDDEN_HEADER) {
            if (header.has(member)) {
                throw new Refused("malformed_assertion");
            }
        }
        String typ = header.path("typ").asText("JWT");
        if (!typ.equals("JWT") && !typ.equals("JOSE")) {
            throw new Refused("malformed_assertion");
        }
        String kid = header.path("kid").asText("");
        if (kid.isEmpty()) {
            throw new Refused("malformed_assertion");
        }
        JsonNode claims = json(parts[1]);
        SpiffeId subject;
        try {
            subject = SpiffeId.parse(claims.path("sub").asText(null));
        } catch (IllegalArgumentException e) {
            throw new Refused("malformed_assertion");
        }
        if (subject.segments().isEmpty()) {
            throw new Refused("malformed_assertion");
        }
        return new Unverified(alg, kid, subject, claims, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                Base64.getUrlDecoder().decode(parts[2]));
    }

    /**
     * Checks signature, expiry, lifetime and audience.
     *
     * @param audiences the broker's issuer and token endpoint: {@code aud} must name one of them
     */
    static Verified verify(Unverified t, SpiffeBundle bundle, Set<String> audiences, Instant now, Duration maxLifetime)
            throws Refused {
        PublicKey key = bundle.jwtAuthorities().get(t.kid());
        if (key == null) {
            throw new Refused("unknown_key");
        }
        if (!signatureValid(t, key)) {
            throw new Refused("invalid_signature");
        }
        JsonNode exp = t.claims().path("exp");
        if (!exp.canConvertToLong()) {
            throw new Refused("malformed_assertion");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
        if (now.isAfter(expiresAt.plus(LEEWAY))) {
            throw new Refused("expired_svid");
        }
        JsonNode nbf = t.claims().path("nbf");
        if (nbf.canConvertToLong() && now.plus(LEEWAY).isBefore(Instant.ofEpochSecond(nbf.asLong()))) {
            throw new Refused("svid_not_yet_valid");
        }
        JsonNode iat = t.claims().path("iat");
        Instant from = iat.canConvertToLong() ? Instant.ofEpochSecond(iat.asLong()) : now;
        if (Duration.between(from.isBefore(now) ? from : now, expiresAt).compareTo(maxLifetime.plus(LEEWAY)) > 0) {
            throw new Refused("assertion_lifetime_too_long");
        }
        List<String> aud = new ArrayList<>();
        JsonNode audNode = t.claims().path("aud");
        if (audNode.isTextual()) {
            aud.add(audNode.asText());
        } else if (audNode.isArray()) {
            audNode.forEach(a -> aud.add(a.asText()));
        }
        if (aud.stream().noneMatch(audiences::contains)) {
            throw new Refused("wrong_audience");
        }
        JsonNode jti = t.claims().path("jti");
        return new Verified(t.subject(), expiresAt, jti.isTextual() && !jti.asText().isEmpty() ? jti.asText() : null);
    }

    private static boolean signatureValid(Unverified t, PublicKey key) {
        boolean ec = t.alg().startsWith("ES");
        if (ec ? !(key instanceof ECPublicKey) : !(key instanceof RSAPublicKey)) {
            return false;
        }
        if (ec && ((ECPublicKey) key).getParams().getOrder().bitLength() != curveBits(t.alg())) {
            return false;
        }
        try {
            Signature sig = Signature.getInstance(ALGORITHMS.get(t.alg()));
            if (t.alg().startsWith("PS")) {
                int bits = Integer.parseInt(t.alg().substring(2));
                String hash = "SHA-" + bits;
                sig.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), bits / 8, 1));
            }
            sig.initVerify(key);
            sig.update(t.signingInput());
            return sig.verify(t.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static int curveBits(String alg) {
        return switch (alg) {
            case "ES256" -> 256;
            case "ES384" -> 384;
            default -> 521;
        };
    }

    private static JsonNode json(String part) throws Refused {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new Refused("malformed_assertion");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("malformed_assertion");
        }
    }
}
