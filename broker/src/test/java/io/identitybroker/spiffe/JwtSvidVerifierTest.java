package io.identitybroker.spiffe;

import io.identitybroker.oauth.TestJws;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JWT-SVID validation helper, on tokens signed here with JDK keys: what passes and each refusal's reason. */
@FastTest
class JwtSvidVerifierTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final KeyPair KEY = TestJws.p256();
    private static final KeyPair OTHER = TestJws.p256();
    private static final String KID = "identity-broker-jwt-svid-v1";
    private static final String SUB = "spiffe://example.org/tenant/acme/agent/a1";

    private final JwtSvidVerifier verifier = new JwtSvidVerifier(
            kid -> KID.equals(kid) ? Optional.of((ECPublicKey) KEY.getPublic()) : Optional.empty(),
            "example.org", "https://orders.example", Clock.fixed(NOW, ZoneOffset.UTC));

    private static Map<String, Object> header(Object typ) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", "ES256");
        if (typ != null) {
            h.put("typ", typ);
        }
        h.put("kid", KID);
        return h;
    }

    private static Map<String, Object> claims(String sub, Object aud, long expInSeconds) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", sub);
        c.put("aud", aud);
        c.put("exp", NOW.getEpochSecond() + expInSeconds);
        return c;
    }

    @Test
    void aWellFormedJwtSvidPassesWithTypJwtJoseOrNoneAndAudAsStringOrArray() {
        for (Object typ : new Object[]{"JWT", "JOSE", null}) {
            for (Object aud : List.of("https://orders.example", List.of("x", "https://orders.example"))) {
                JwtSvidVerifier.Verified v = verifier.verify(TestJws.es256(header(typ), claims(SUB, aud, 300), KEY.getPrivate()));
                assertEquals(SUB, v.subject().toString());
                assertEquals(NOW.plusSeconds(300), v.expiresAt());
            }
        }
    }

    @Test
    void eachFlawIsRefusedWithItsReason() {
        Map<String, String> cases = new LinkedHashMap<>();
        Map<String, Object> withJku = header("JWT");
        withJku.put("jku", "https://evil.example/jwks");
        Map<String, Object> none = header("JWT");
        none.put("alg", "none");
        Map<String, Object> hmac = header("JWT");
        hmac.put("alg", "HS256");
        Map<String, Object> unknownKid = header("JWT");
        unknownKid.put("kid", "identity-broker-jwt-v1");
        cases.put(TestJws.es256(header("at+jwt"), claims(SUB, "https://orders.example", 300), KEY.getPrivate()), "wrong_type");
        cases.put(TestJws.es256(header("application/at+jwt"), claims(SUB, "https://orders.example", 300), KEY.getPrivate()), "wrong_type");
        cases.put(TestJws.es256(withJku, claims(SUB, "https://orders.example", 300), KEY.getPrivate()), "forbidden_header");
        cases.put(TestJws.es256(none, claims(SUB, "https://orders.example", 300), KEY.getPrivate()), "unsupported_algorithm");
        cases.put(TestJws.hs256(hmac, claims(SUB, "https://orders.example", 300), new byte[32]), "unsupported_algorithm");
        cases.put(TestJws.es256(unknownKid, claims(SUB, "https://orders.example", 300), KEY.getPrivate()), "unknown_key");
        cases.put(TestJws.es256(header("JWT"), claims(SUB, "https://orders.example", 300), OTHER.getPrivate()), "bad_signature");
        cases.put(TestJws.es256(header("JWT"), claims(SUB, "https://other.example", 300), KEY.getPrivate()), "wrong_audience");
        cases.put(TestJws.es256(header("JWT"), claims(SUB, List.of(), 300), KEY.getPrivate()), "wrong_audience");
        cases.put(TestJws.es256(header("JWT"), claims(SUB, "https://orders.example", -31), KEY.getPrivate()), "expired");
        cases.put(TestJws.es256(header("JWT"), claims("spiffe://other.org/x", "https://orders.example", 300), KEY.getPrivate()),
                "wrong_trust_domain");
        cases.put(TestJws.es256(header("JWT"), claims("https://example.org/x", "https://orders.example", 300), KEY.getPrivate()),
                "invalid_subject");
        cases.put("not.a-token", "malformed");
        cases.put("x".repeat(9000), "malformed");
        cases.forEach((token, reason) -> assertEquals(reason,
                assertThrows(InvalidJwtSvidException.class, () -> verifier.verify(token), reason).reason(), reason));
    }
}
