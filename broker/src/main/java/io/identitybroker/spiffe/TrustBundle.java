package io.identitybroker.spiffe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.oauth.EcJwk;
import io.identitybroker.security.SecretTokens;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One trust domain's SPIFFE bundle (SPIFFE Trust Domain and Bundle, section 4): its X.509
 * authorities (the roots of its active tenants, deduplicated, in a stable order) and the JWT-SVID
 * verification keys, numbered by {@code sequence}. {@link #contentSha256()} covers the keys only,
 * so equal content always hashes equal, whichever replica computed it.
 */
record TrustBundle(String trustDomain, List<X509Certificate> roots, Map<String, ECPublicKey> jwtKeys,
                   String contentSha256, long sequence) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A bundle without its number yet: roots in the given order, JWT keys by {@code kid}. */
    static TrustBundle unnumbered(String trustDomain, List<X509Certificate> roots, Map<String, ECPublicKey> jwtKeys) {
        Map<String, ECPublicKey> sorted = new TreeMap<>(jwtKeys);
        try {
            String sha = SecretTokens.hash(new String(JSON.writeValueAsBytes(keys(roots, sorted)), StandardCharsets.UTF_8));
            return new TrustBundle(trustDomain, List.copyOf(roots), java.util.Collections.unmodifiableMap(sorted), sha, 0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    TrustBundle numbered(long sequence) {
        return new TrustBundle(trustDomain, roots, jwtKeys, contentSha256, sequence);
    }

    /** The JSON document: {@code keys}, {@code spiffe_sequence}, {@code spiffe_refresh_hint}. */
    Map<String, Object> document(Duration refreshHint) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("keys", keys(roots, jwtKeys));
        doc.put("spiffe_sequence", sequence);
        doc.put("spiffe_refresh_hint", refreshHint.toSeconds());
        return doc;
    }

    /** The X.509 authorities as concatenated PEM. */
    String pem() {
        StringBuilder out = new StringBuilder();
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate root : roots) {
            out.append("-----BEGIN CERTIFICATE-----\n").append(mime.encodeToString(der(root)))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }

    private static List<Map<String, Object>> keys(List<X509Certificate> roots, Map<String, ECPublicKey> jwtKeys) {
        List<Map<String, Object>> keys = new ArrayList<>();
        roots.forEach(r -> keys.add(AuthorityJwk.of(r)));
        jwtKeys.forEach((kid, key) -> {
            Map<String, Object> jwk = EcJwk.toJwk(key, kid);
            jwk.put("use", "jwt-svid");
            keys.add(jwk);
        });
        return keys;
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
