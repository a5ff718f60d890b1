package io.identitybroker.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.crypto.CompactJws;
import io.identitybroker.crypto.Signatures;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.security.SecretTokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies the broker's certificate-bound access tokens (RFC 8705, RFC 9068) for a resource
 * server: ES256 signature against keys it already trusts, {@code typ} at+jwt, issuer, expiry
 * and not-before with at most 60 s leeway, audience, that {@code cnf.x5t#S256} is the
 * SHA-256 thumbprint of the client certificate the request came with, and that the token's
 * {@code sub} is that certificate's one URI SAN (the SPIFFE ID of the agent that owns the binding).
 *
 * <p>Deliberately narrow: the only algorithm is ES256, and the only header members are
 * {@code alg}, {@code typ} and {@code kid}. {@code none}, HMAC, and keys supplied by the token
 * itself ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are all rejected, as is any
 * {@code crit} extension. JDK and Jackson only; thread-safe.
 *
 * <pre>{@code
 * var verifier = CertificateBoundTokenVerifier.builder(Jwks.parse(jwksJson))
 *         .issuer("https://broker.example.com")
 *         .audience("https://orders.example.com")
 *         .build();
 * AccessToken token = verifier.verify(bearerToken, clientCertificate); // throws InvalidAccessTokenException
 * }</pre>
 */
public final class CertificateBoundTokenVerifier {
    /** The most clock skew any deployment may configure. */
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(60);
    /** Longer strings are not tokens of this broker; refusing early bounds the work an attacker can cause. */
    static final int MAX_TOKEN_LENGTH = 8192;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "typ", "kid");
    private static final int ES256_SIGNATURE_BYTES = 64;

    private final VerificationKeys keys;
    private final String issuer;
    private final Set<String> audiences;
    private final Duration leeway;
    private final Clock clock;
    private final VerifiedTokens verified;
    private final boolean allowUnbound;

    private CertificateBoundTokenVerifier(Builder b) {
        this.allowUnbound = b.allowUnbound;
        this.keys = b.keys;
        this.issuer = b.issuer;
        this.audiences = Set.copyOf(b.audiences);
        this.leeway = b.leeway;
        this.clock = b.clock;
        this.verified = b.cacheSize > 0 ? new VerifiedTokens(b.cacheSize, b.leeway, b.clock) : null;
    }

    public static Builder builder(VerificationKeys keys) {
        return new Builder(keys);
    }

    /**
     * The full resource-server check: a valid token, bound to {@code presented}.
     *
     * @param presented the client certificate of the TLS connection (or from a trusted proxy); null fails
     * @throws InvalidAccessTokenException with the reason when any check fails
     */
    public AccessToken verify(String token, X509Certificate presented) {
        AccessToken verified = verifyIgnoringPresenter(token);
        if (verified.x5tS256() == null) {
            throw new InvalidAccessTokenException("missing_binding");
        }
        if (presented == null) {
            throw new InvalidAccessTokenException("no_client_certificate");
        }
        byte[] expected = verified.x5tS256().getBytes(StandardCharsets.US_ASCII);
        byte[] actual = Thumbprints.x5tS256(presented).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new InvalidAccessTokenException("binding_mismatch");
        }
        if (!uriSans(presented).equals(List.of(verified.subject()))) {
            // The broker issues tokens only to a certificate whose one URI SAN is the agent's SPIFFE ID,
            // which is the token's sub: anything else is a token about one agent bound to another's key.
            throw new InvalidAccessTokenException("subject_mismatch");
        }
        return verified;
    }

    private static List<String> uriSans(X509Certificate certificate) {
        List<String> uris = new ArrayList<>();
        try {
            var sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String uri) {
                        uris.add(uri);
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new InvalidAccessTokenException("subject_mismatch");
        }
        return uris;
    }

    /**
     * Every check except the presenter's certificate: for introspection, where the caller is not
     * the token's holder. The token must still carry a {@code cnf.x5t#S256} binding, unless the
     * verifier was built with {@link Builder#allowUnbound()} (then {@link AccessToken#x5tS256()} is null).
     */
    public AccessToken verifyIgnoringPresenter(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !CompactJws.wellFormed(token, false)) {
            throw new InvalidAccessTokenException("malformed");
        }
        String digest = verified == null ? null : SecretTokens.hash(token);
        if (digest != null) {
            AccessToken hit = verified.get(digest, keys);
            if (hit != null) {
                return hit;
            }
        }
        String[] parts = token.split("\\.");
        JsonNode header = json(parts[0]);
        String kid = checkHeader(header);
        ECPublicKey key = keys.key(kid).orElseThrow(() -> new InvalidAccessTokenException("unknown_key"));
        checkSignature(key, parts);
        AccessToken result = checkClaims(json(parts[1]), kid);
        if (digest != null) {
            verified.put(digest, result, key);
        }
        return result;
    }

    /** How many verified tokens are remembered (tests). */
    int rememberedTokens() {
        return verified == null ? 0 : verified.size();
    }

    private static String checkHeader(JsonNode header) {
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!HEADER_MEMBERS.contains(name)) {
                // jku, x5u, jwk, x5c would let the token choose its own key; crit asks for semantics we lack.
                throw new InvalidAccessTokenException("forbidden_header");
            }
        }
        if (!header.path("alg").isTextual() || !EcJwk.ALGORITHM.equals(header.path("alg").asText())) {
            throw new InvalidAccessTokenException("unsupported_algorithm");
        }
        String typ = header.path("typ").isTextual() ? header.path("typ").asText() : "";
        if (!typ.equalsIgnoreCase(AccessTokenClaims.TYPE) && !typ.equalsIgnoreCase("application/" + AccessTokenClaims.TYPE)) {
            throw new InvalidAccessTokenException("wrong_type");
        }
        String kid = header.path("kid").isTextual() ? header.path("kid").asText() : "";
        if (!KID.matcher(kid).matches() || kid.contains("..")) {
            throw new InvalidAccessTokenException("unknown_key");
        }
        return kid;
    }

    private static void checkSignature(ECPublicKey key, String[] parts) {
        byte[] signature = decode(parts[2]);
        if (signature.length != ES256_SIGNATURE_BYTES) {
            throw new InvalidAccessTokenException("bad_signature");
        }
        // JWS carries R || S (IEEE P1363), not DER; BoringSSL checks 0 < R, S < n itself.
        if (!Signatures.verifyP1363("SHA256withECDSA", key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                signature)) {
            throw new InvalidAccessTokenException("bad_signature");
        }
    }

    private AccessToken checkClaims(JsonNode claims, String kid) {
        if (!issuer.equals(text(claims, "iss"))) {
            throw new InvalidAccessTokenException("wrong_issuer");
        }
        Instant now = clock.instant();
        Instant exp = time(claims, "exp", true);
        Instant iat = time(claims, "iat", true);
        Instant nbf = time(claims, "nbf", false);
        if (!now.isBefore(exp.plus(leeway))) {
            throw new InvalidAccessTokenException("expired");
        }
        if ((nbf != null && now.plus(leeway).isBefore(nbf)) || now.plus(leeway).isBefore(iat)) {
            throw new InvalidAccessTokenException("not_yet_valid");
        }
        List<String> aud = audiences(claims.get("aud"));
        if (!audiences.isEmpty() && aud.stream().noneMatch(audiences::contains)) {
            throw new InvalidAccessTokenException("wrong_audience");
        }
        JsonNode cnf = claims.path("cnf").path("x5t#S256");
        boolean unbound = claims.path("cnf").isMissingNode() && allowUnbound;
        if (!unbound && (!cnf.isTextual() || cnf.asText().isEmpty())) {
            throw new InvalidAccessTokenException("missing_binding");
        }
        String subject = text(claims, "sub");
        String clientId = text(claims, "client_id");
        if (subject == null || clientId == null) {
            throw new InvalidAccessTokenException("malformed");
        }
        return new AccessToken(issuer, subject, clientId, text(claims, "tenant"), text(claims, "scope"), aud,
                iat, exp, nbf, text(claims, "jti"), unbound ? null : cnf.asText(), kid);
    }

    private static JsonNode json(String part) {
        try {
            JsonNode node = JSON.readTree(decode(part));
            if (node == null || !node.isObject()) {
                throw new InvalidAccessTokenException("malformed");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidAccessTokenException("malformed");
        }
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidAccessTokenException("malformed");
        }
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static Instant time(JsonNode claims, String name, boolean required) {
        JsonNode value = claims.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidAccessTokenException("malformed");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidAccessTokenException("malformed");
        }
        return Instant.ofEpochSecond(value.asLong());
    }

    private static List<String> audiences(JsonNode aud) {
        List<String> out = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            out.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> {
                if (a.isTextual()) {
                    out.add(a.asText());
                }
            });
        }
        if (out.isEmpty()) {
            throw new InvalidAccessTokenException("wrong_audience");
        }
        return out;
    }

    /** Configures a verifier; issuer and either an audience or {@link #anyAudience()} are required. */
    public static final class Builder {
        private final VerificationKeys keys;
        private String issuer;
        private final java.util.Set<String> audiences = new java.util.LinkedHashSet<>();
        private boolean anyAudience;
        private Duration leeway = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private int cacheSize;
        private boolean allowUnbound;

        private Builder(VerificationKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** An audience this resource server accepts (call again for more). */
        public Builder audience(String audience) {
            audiences.add(Objects.requireNonNull(audience));
            return this;
        }

        /** Accept any audience: only for the authorization server itself (introspection). */
        public Builder anyAudience() {
            this.anyAudience = true;
            return this;
        }

        /**
         * Also accept tokens without {@code cnf} (bearer tokens issued to spiffe_jwt clients without
         * mTLS): only for introspection; {@link #verify} still refuses them.
         */
        public Builder allowUnbound() {
            this.allowUnbound = true;
            return this;
        }

        /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; at most 60 s. Default 30 s. */
        public Builder leeway(Duration leeway) {
            if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
                throw new IllegalArgumentException("leeway must be between 0 and 60 s");
            }
            this.leeway = leeway;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * Remember up to {@code maxTokens} tokens that verified (by their SHA-256), so that the same
         * token presented again skips the ES256 verification; expiry and the key's presence in the
         * key set are still checked on every call. Default 0: off.
         */
        public Builder cacheVerifiedTokens(int maxTokens) {
            if (maxTokens < 0) {
                throw new IllegalArgumentException("maxTokens must not be negative");
            }
            this.cacheSize = maxTokens;
            return this;
        }

        public CertificateBoundTokenVerifier build() {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalStateException("issuer is required");
            }
            if (audiences.isEmpty() && !anyAudience) {
                throw new IllegalStateException("an audience is required (or anyAudience() for the authorization server)");
            }
            return new CertificateBoundTokenVerifier(this);
        }
    }
}
