package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * JWT-SVIDs for the Workload API: obtained from the broker and cached per audience set until half
 * their lifetime has passed (so a workload never receives one close to expiry); and validation
 * of presented JWT-SVIDs against the trust domain's JWT keys. Never logs a token.
 */
public final class JwtSvids {
    /** A JWT-SVID and when it stops being handed out. */
    public record Cached(String token, String spiffeId, Instant expiresAt, Instant refreshAt) {
        @Override
        public String toString() {
            return "Cached[" + spiffeId + ", expires " + expiresAt + "]";
        }
    }

    /** Asks the broker for a token; throws what the broker client throws. */
    public interface Issuer {
        JsonNode issue(List<String> audience) throws IOException, BrokerException;
    }

    private final Issuer issuer;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public JwtSvids(Issuer issuer) {
        this.issuer = issuer;
    }

    public Cached fetch(List<String> audience) throws IOException, BrokerException {
        List<String> sorted = List.copyOf(new TreeSet<>(audience));
        String key = String.join("\u0000", sorted);
        Cached c = cache.get(key);
        Instant now = Instant.now();
        if (c != null && now.isBefore(c.refreshAt())) {
            return c;
        }
        JsonNode r = issuer.issue(sorted);
        String token = r.path("token").asText();
        Instant expires;
        Instant issued = now;
        try {
            JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
            expires = claims.getExpirationTime().toInstant();
            if (claims.getIssueTime() != null) {
                issued = claims.getIssueTime().toInstant();
            }
        } catch (ParseException | NullPointerException e) {
            throw new IOException("the broker returned an unreadable JWT-SVID");
        }
        Duration life = Duration.between(issued, expires);
        Cached fresh = new Cached(token, r.path("spiffe_id").asText(), expires, issued.plus(life.dividedBy(2)));
        cache.values().removeIf(old -> now.isAfter(old.expiresAt()));
        cache.put(key, fresh);
        return fresh;
    }

    /** Why a JWT-SVID was refused. */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String message) {
            super(message);
        }
    }

    /** A validated token: its subject and claims. */
    public record Validated(String spiffeId, Map<String, Object> claims) {
    }

    /**
     * Checks signature (key by {@code kid} from the bundle of the token's trust domain), expiry, the
     * audience, and that the subject is a SPIFFE ID.
     */
    public static Validated validate(String token, String audience, Supplier<Map<String, String>> jwtBundles)
            throws InvalidToken {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidToken("malformed JWT-SVID");
        }
        String sub = claims.getSubject();
        if (sub == null || !sub.startsWith("spiffe://")) {
            throw new InvalidToken("subject is not a SPIFFE ID");
        }
        String td = java.net.URI.create(sub).getHost();
        String keys = jwtBundles.get().get(td);
        if (keys == null) {
            throw new InvalidToken("no JWT bundle for trust domain " + td);
        }
        String kid = jwt.getHeader().getKeyID();
        JWK jwk;
        try {
            jwk = kid == null ? null : JWKSet.parse(keys).getKeyByKeyId(kid);
        } catch (ParseException e) {
            throw new InvalidToken("the JWT bundle of " + td + " is unreadable");
        }
        if (jwk == null) {
            throw new InvalidToken("signed by an unknown key (kid " + kid + ")");
        }
        try {
            JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), keyOf(jwk));
            if (!jwt.verify(verifier)) {
                throw new InvalidToken("bad signature");
            }
        } catch (JOSEException e) {
            throw new InvalidToken("cannot verify: " + e.getMessage());
        }
        if (claims.getExpirationTime() == null || !Instant.now().isBefore(claims.getExpirationTime().toInstant())) {
            throw new InvalidToken("token expired");
        }
        List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
        if (!aud.contains(audience)) {
            throw new InvalidToken("audience mismatch");
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>(claims.toJSONObject());
        out.put("aud", aud); // always a list, as the JWT-SVID carries it
        return new Validated(sub, out);
    }

    private static java.security.Key keyOf(JWK jwk) throws JOSEException {
        return switch (jwk.getKeyType().getValue()) {
            case "EC" -> jwk.toECKey().toPublicKey();
            case "RSA" -> jwk.toRSAKey().toPublicKey();
            case "OKP" -> throw new JOSEException("OKP keys are not supported");
            default -> throw new JOSEException("unsupported key type " + jwk.getKeyType());
        };
    }

    static List<String> audiences(Iterable<String> in) {
        List<String> out = new ArrayList<>();
        in.forEach(out::add);
        return out;
    }
}
