package io.identitybroker.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed JSON Web Key Set of ES256 keys, e.g. the broker's {@code /oauth2/jwks} document as a
 * resource server fetched it. Keys that are not EC P-256 signing keys are skipped, not trusted.
 */
public final class Jwks implements VerificationKeys {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Map<String, ECPublicKey> keys;

    public Jwks(Map<String, ECPublicKey> keys) {
        this.keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /** Parses a JWKS document ({@code {"keys": [...]}}). */
    public static Jwks parse(String json) {
        Map<String, Object> document;
        try {
            document = JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("JWKS is not a JSON object", e);
        }
        if (!(document.get("keys") instanceof List<?> list)) {
            throw new IllegalArgumentException("JWKS has no keys array");
        }
        Map<String, ECPublicKey> keys = new LinkedHashMap<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> raw) || !(raw.get("kid") instanceof String kid)) {
                continue;
            }
            if (raw.get("use") != null && !"sig".equals(raw.get("use"))) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> jwk = (Map<String, ?>) raw;
            try {
                keys.put(kid, EcJwk.fromJwk(jwk));
            } catch (IllegalArgumentException notOurs) {
                // Not an ES256 key: a verifier that accepts only ES256 has no use for it.
            }
        }
        return new Jwks(keys);
    }

    @Override
    public Optional<ECPublicKey> key(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    public List<String> kids() {
        return new ArrayList<>(keys.keySet());
    }
}
