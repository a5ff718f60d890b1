package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A trust domain's SPIFFE bundle as the broker publishes it: the X.509 roots, the JWT-SVID keys
 * (kept as a JWK set), the sequence number and the refresh hint.
 */
public record SpiffeBundle(String trustDomain, List<X509Certificate> x509Roots, String jwtKeysJson, long sequence,
                           Duration refreshHint) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

    public SpiffeBundle {
        x509Roots = List.copyOf(x509Roots);
    }

    /** Parses {@code {"keys":[{"use":"x509-svid","x5c":[..]},{"use":"jwt-svid",..}],"spiffe_sequence","spiffe_refresh_hint"}}. */
    public static SpiffeBundle parse(String trustDomain, JsonNode json) {
        List<X509Certificate> roots = new ArrayList<>();
        ArrayNode jwt = JSON.createArrayNode();
        for (JsonNode key : json.path("keys")) {
            String use = key.path("use").asText();
            if (use.equals("x509-svid")) {
                for (JsonNode x5c : key.path("x5c")) {
                    roots.add(Pem.certificate(Base64.getDecoder().decode(x5c.asText())));
                }
            } else if (use.equals("jwt-svid")) {
                jwt.add(key);
            }
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("the bundle of " + trustDomain + " has no X.509 root");
        }
        ObjectNode keys = JSON.createObjectNode();
        keys.set("keys", jwt);
        long hint = json.path("spiffe_refresh_hint").asLong(0);
        return new SpiffeBundle(trustDomain, roots, keys.toString(), json.path("spiffe_sequence").asLong(0),
                hint > 0 ? Duration.ofSeconds(hint) : DEFAULT_REFRESH);
    }

    /** Roots only (from a certificate chain, before the broker offers a bundle endpoint). */
    public static SpiffeBundle ofRoots(String trustDomain, List<X509Certificate> roots) {
        return new SpiffeBundle(trustDomain, roots, "{\"keys\":[]}", 0, DEFAULT_REFRESH);
    }

    /** The bundle as JSON again (x509-svid entries carry only {@code x5c}), for {@code bundle.json} in the state directory. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (String der : encoded(x509Roots)) {
            ObjectNode k = keys.addObject();
            k.put("use", "x509-svid");
            k.putArray("x5c").add(der);
        }
        try {
            JSON.readTree(jwtKeysJson).path("keys").forEach(keys::add);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        root.put("spiffe_sequence", sequence);
        root.put("spiffe_refresh_hint", refreshHint.toSeconds());
        return root.toString();
    }

    public static SpiffeBundle parse(String trustDomain, String json) {
        try {
            return parse(trustDomain, JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable bundle JSON", e);
        }
    }

    public boolean hasJwtKeys() {
        try {
            return JSON.readTree(jwtKeysJson).path("keys").size() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Same roots and JWT keys (sequence and hint aside): nothing to push to workloads. */
    public boolean sameKeys(SpiffeBundle other) {
        return other != null && encoded(x509Roots).equals(encoded(other.x509Roots)) && jwtKeysJson.equals(other.jwtKeysJson);
    }

    private static List<String> encoded(List<X509Certificate> certs) {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            try {
                out.add(Base64.getEncoder().encodeToString(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
