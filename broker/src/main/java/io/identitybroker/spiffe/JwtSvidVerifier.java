package io.identitybroker.spiffe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.crypto.CompactJws;
import io.identitybroker.crypto.Signatures;
import io.identitybroker.ids.SpiffeId;
import io.identitybroker.oauth.EcJwk;
import io.identitybroker.oauth.VerificationKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a JWT-SVID (SPIFFE JWT-SVID, section 4) for one audience against the {@code jwt-svid}
 * keys of a trust domain's SPIFFE bundle: ES256 only, header members {@code alg}, {@code typ},
 * {@code kid} only, {@code typ} absent, {@code JWT} or {@code JOSE} (so an OAuth access token,
 * {@code at+jwt}, is refused as {@code wrong_type}, whatever key signed it), {@code sub} a SPIFFE ID
 * of the bundle's trust domain, the audience among {@code aud}, and {@code exp} not passed (30 s
 * leeway). Failures throw {@link InvalidJwtSvidException}; nothing is fetched. JDK and Jackson only.
 */
public final class JwtSvidVerifier {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "typ", "kid");
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final Duration LEEWAY = Duration.ofSeconds(30);

    /** What a valid JWT-SVID says. */
    public record Verified(SpiffeId subject, List<String> audience, Instant expiresAt, String kid) {
    }

    private final VerificationKeys keys;
    private final String trustDomain;
    private final String audience;
    private final Clock clock;

    public JwtSvidVerifier(VerificationKeys keys, String trustDomain, String audience, Clock clock) {
        this.keys = keys;
        this.trustDomain = trustDomain;
        this.audience = audience;
        this.clock = clock;
    }

    /** The {@code jwt-svid} keys of a bundle document (JSON); its x509-svid entries are ignored. */
    public static VerificationKeys bundleKeys(String bundleJson) {
        Map<String, ECPublicKey> out = new LinkedHashMap<>();
        try {
            for (JsonNode k : JSON.readTree(bundleJson).path("keys")) {
                if ("jwt-svid".equals(k.path("use").asText()) && k.path("kid").isTextual()) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> jwk = JSON.convertValue(k, Map.class);
                    jwk.remove("use");
                    out.put(k.path("kid").asText(), EcJwk.fromJwk(jwk));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the bundle is not JSON", e);
        }
        return kid -> Optional.ofNullable(out.get(kid));
    }

    public Verified verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !CompactJws.wellFormed(token, false)) {
            throw new InvalidJwtSvidException("malformed");
        }
        String[] parts = token.split("\\.");
        JsonNode header = json(parts[0]);
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            if (!HEADER_MEMBERS.contains(it.next())) {
                throw new InvalidJwtSvidException("forbidden_header");
            }
        }
        if (!EcJwk.ALGORITHM.equals(header.path("alg").asText())) {
            throw new InvalidJwtSvidException("unsupported_algorithm");
        }
        JsonNode typ = header.get("typ");
        if (typ != null && !"JWT".equals(typ.asText()) && !"JOSE".equals(typ.asText())) {
            throw new InvalidJwtSvidException("wrong_type");
        }
        String kid = header.path("kid").asText("");
        ECPublicKey key = (kid.isEmpty() ? Optional.<ECPublicKey>empty() : keys.key(kid))
                .orElseThrow(() -> new InvalidJwtSvidException("unknown_key"));
        checkSignature(key, parts);
        JsonNode claims = json(parts[1]);
        SpiffeId subject;
        try {
            subject = SpiffeId.parse(claims.path("sub").asText(""));
        } catch (IllegalArgumentException e) {
            throw new InvalidJwtSvidException("invalid_subject");
        }
        if (!subject.trustDomain().equals(trustDomain)) {
            throw new InvalidJwtSvidException("wrong_trust_domain");
        }
        List<String> aud = new ArrayList<>();
        JsonNode a = claims.get("aud");
        if (a != null && a.isTextual()) {
            aud.add(a.asText());
        } else if (a != null && a.isArray()) {
            a.forEach(x -> aud.add(x.asText()));
        }
        if (!aud.contains(audience)) {
            throw new InvalidJwtSvidException("wrong_audience");
        }
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isIntegralNumber()) {
            throw new InvalidJwtSvidException("malformed");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
        if (!clock.instant().isBefore(expiresAt.plus(LEEWAY))) {
            throw new InvalidJwtSvidException("expired");
        }
        return new Verified(subject, List.copyOf(aud), expiresAt, kid);
    }

    private static void checkSignature(ECPublicKey key, String[] parts) {
        try {
            if (!Signatures.verifyP1363("SHA256withECDSA", key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                    Base64.getUrlDecoder().decode(parts[2]))) {
                throw new InvalidJwtSvidException("bad_signature");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidJwtSvidException("bad_signature");
        }
    }

    private static JsonNode json(String part) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new InvalidJwtSvidException("malformed");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidJwtSvidException("malformed");
        }
    }
}
