package io.identitybroker.oauth;

import io.identitybroker.pki.Thumbprints;
import io.identitybroker.testing.FastTest;
import io.identitybroker.testing.MovableClock;
import io.identitybroker.testing.TestCertificates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resource-server verifier against crafted tokens, good and hostile; no broker, no Vault. */
@FastTest
class CertificateBoundTokenVerifierTest {
    private static final String ISSUER = "https://broker.test";
    private static final String AUDIENCE = "https://orders.test";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final KeyPair key = TestJws.p256();
    private final X509Certificate certA = TestCertificates.selfSigned(TestJws.p256(), "spiffe://example.org/tenant/acme/agent/a");
    private final X509Certificate certB = TestCertificates.selfSigned(TestJws.p256(), "spiffe://example.org/tenant/acme/agent/b");
    private final Jwks jwks = new Jwks(Map.of("k-v1", (ECPublicKey) key.getPublic()));
    private final CertificateBoundTokenVerifier verifier = CertificateBoundTokenVerifier.builder(jwks)
            .issuer(ISSUER).audience(AUDIENCE).leeway(Duration.ofSeconds(30))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    private Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", "ES256");
        h.put("typ", "at+jwt");
        h.put("kid", "k-v1");
        return h;
    }

    private Map<String, Object> claims(X509Certificate boundTo) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("sub", "spiffe://example.org/tenant/acme/agent/a");
        c.put("aud", AUDIENCE);
        c.put("client_id", "a");
        c.put("tenant", "acme");
        c.put("scope", "orders.read");
        c.put("iat", NOW.getEpochSecond() - 10);
        c.put("exp", NOW.getEpochSecond() + 600);
        c.put("jti", "j1");
        if (boundTo != null) {
            c.put("cnf", Map.of("x5t#S256", Thumbprints.x5tS256(boundTo)));
        }
        return c;
    }

    private String reason(String token, X509Certificate presented) {
        return assertThrows(InvalidAccessTokenException.class, () -> verifier.verify(token, presented)).reason();
    }

    @Test
    void tokenBoundToTheCertificatePassesAndReportsItsClaims() {
        AccessToken t = verifier.verify(TestJws.es256(header(), claims(certA), key.getPrivate()), certA);
        assertEquals("spiffe://example.org/tenant/acme/agent/a", t.subject());
        assertEquals("a", t.clientId());
        assertEquals("acme", t.tenant());
        assertEquals(List.of(AUDIENCE), t.audiences());
        assertEquals(Thumbprints.x5tS256(certA), t.x5tS256());
        assertEquals("k-v1", t.kid());
    }

    @Test
    void anotherCertificateOrNoneFails() {
        String token = TestJws.es256(header(), claims(certA), key.getPrivate());
        assertEquals("binding_mismatch", reason(token, certB));
        Map<String, Object> aboutB = claims(certA);
        aboutB.put("sub", "spiffe://example.org/tenant/acme/agent/b"); // A's binding, B's name
        assertEquals("subject_mismatch", reason(TestJws.es256(header(), aboutB, key.getPrivate()), certA));
        assertEquals("no_client_certificate", reason(token, null));
    }

    @Test
    void tokenWithoutCnfFails() {
        assertEquals("missing_binding", reason(TestJws.es256(header(), claims(null), key.getPrivate()), certA));
        Map<String, Object> c = claims(certA);
        c.put("cnf", Map.of("x5t", "abc"));
        assertEquals("missing_binding", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
    }

    @Test
    void algNoneIsRejected() {
        Map<String, Object> h = header();
        h.put("alg", "none");
        String unsigned = TestJws.part(h) + "." + TestJws.part(claims(certA)) + ".";
        assertEquals("malformed", reason(unsigned, certA));
        // Even with a "signature" attached, none is not an algorithm here.
        assertEquals("unsupported_algorithm", reason(unsigned + "AAAA", certA));
        h.put("alg", "NONE");
        assertEquals("unsupported_algorithm", reason(TestJws.part(h) + "." + TestJws.part(claims(certA)) + ".AAAA", certA));
    }

    @Test
    void hs256KeyedWithThePublicKeyIsRejected() {
        Map<String, Object> h = header();
        h.put("alg", "HS256");
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pub.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(pub.getEncoded(), pem.getBytes(StandardCharsets.US_ASCII),
                TestJws.part(EcJwk.toJwk(pub, "k-v1")).getBytes(StandardCharsets.US_ASCII))) {
            assertEquals("unsupported_algorithm", reason(TestJws.hs256(h, claims(certA), secret), certA));
        }
    }

    @Test
    void unknownOrTraversalKidIsRejected() {
        for (String kid : List.of("../../x", "..", "k-v2", "k-v1/../k-v1", "", "/etc/passwd", "k-v1\u0000")) {
            Map<String, Object> h = header();
            h.put("kid", kid);
            assertEquals("unknown_key", reason(TestJws.es256(h, claims(certA), key.getPrivate()), certA), kid);
        }
        Map<String, Object> h = header();
        h.remove("kid");
        assertEquals("unknown_key", reason(TestJws.es256(h, claims(certA), key.getPrivate()), certA));
        h.put("kid", 1);
        assertEquals("unknown_key", reason(TestJws.es256(h, claims(certA), key.getPrivate()), certA));
    }

    @Test
    void headerSuppliedKeysAndCritAreRejectedEvenWhenTheSignatureIsGood() {
        KeyPair attacker = TestJws.p256();
        Map<String, Object> members = new HashMap<>();
        members.put("jku", "https://attacker.example/jwks.json");
        members.put("x5u", "https://attacker.example/cert.pem");
        members.put("jwk", EcJwk.toJwk((ECPublicKey) attacker.getPublic(), "k-v1"));
        members.put("x5c", List.of("MIIB"));
        members.put("crit", List.of("exp"));
        members.forEach((name, value) -> {
            Map<String, Object> h = header();
            h.put(name, value);
            assertEquals("forbidden_header", reason(TestJws.es256(h, claims(certA), key.getPrivate()), certA), name);
            assertEquals("forbidden_header", reason(TestJws.es256(h, claims(certA), attacker.getPrivate()), certA), name);
        });
    }

    @Test
    void signatureMustBeRawEs256ByTheNamedKey() {
        String good = TestJws.es256(header(), claims(certA), key.getPrivate());
        String body = good.substring(0, good.lastIndexOf('.'));
        assertEquals("bad_signature", reason(TestJws.es256(header(), claims(certA), TestJws.p256().getPrivate()), certA));
        // r = s = 0 ("psychic signature") and r = s = n must never verify.
        assertEquals("bad_signature", reason(body + "." + TestJws.B64.encodeToString(new byte[64]), certA));
        byte[] n = new java.math.BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16).toByteArray();
        byte[] nn = new byte[64];
        System.arraycopy(n, n.length - 32, nn, 0, 32);
        System.arraycopy(n, n.length - 32, nn, 32, 32);
        assertEquals("bad_signature", reason(body + "." + TestJws.B64.encodeToString(nn), certA));
        assertEquals("bad_signature", reason(body + "." + TestJws.B64.encodeToString(new byte[70]), certA));
        // The payload changed after signing.
        Map<String, Object> c = claims(certA);
        c.put("scope", "orders.write");
        assertEquals("bad_signature", reason(TestJws.part(header()) + "." + TestJws.part(c) + good.substring(good.lastIndexOf('.')), certA));
        assertEquals("malformed", reason(good + "=", certA));
        assertEquals("malformed", reason(good + ".x", certA));
    }

    @Test
    void typIssuerAudienceAndTimesAreChecked() {
        Map<String, Object> h = header();
        h.put("typ", "JWT");
        assertEquals("wrong_type", reason(TestJws.es256(h, claims(certA), key.getPrivate()), certA));
        h.put("typ", "application/at+jwt");
        verifier.verify(TestJws.es256(h, claims(certA), key.getPrivate()), certA);

        Map<String, Object> c = claims(certA);
        c.put("iss", "https://evil.test");
        assertEquals("wrong_issuer", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
        c = claims(certA);
        c.put("aud", List.of("https://other.test"));
        assertEquals("wrong_audience", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
        c.put("aud", List.of("https://other.test", AUDIENCE));
        verifier.verify(TestJws.es256(header(), c, key.getPrivate()), certA);
        c.remove("aud");
        assertEquals("wrong_audience", reason(TestJws.es256(header(), c, key.getPrivate()), certA));

        c = claims(certA);
        c.put("exp", NOW.getEpochSecond() - 29);
        verifier.verify(TestJws.es256(header(), c, key.getPrivate()), certA); // inside the 30 s leeway
        c.put("exp", NOW.getEpochSecond() - 31);
        assertEquals("expired", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
        c.put("exp", "9999999999");
        assertEquals("malformed", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
        c = claims(certA);
        c.put("nbf", NOW.getEpochSecond() + 31);
        assertEquals("not_yet_valid", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
        c.remove("exp");
        assertEquals("malformed", reason(TestJws.es256(header(), c, key.getPrivate()), certA));
    }

    @Test
    void leewayIsCappedAtSixtySecondsAndAnAudienceIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> CertificateBoundTokenVerifier.builder(jwks).leeway(Duration.ofSeconds(61)));
        assertThrows(IllegalStateException.class, () -> CertificateBoundTokenVerifier.builder(jwks).issuer(ISSUER).build());
        assertThrows(IllegalStateException.class, () -> CertificateBoundTokenVerifier.builder(jwks).audience(AUDIENCE).build());
    }

    @Test
    void duplicateClaimsAndOversizedTokensAreMalformed() {
        // The header is read before the signature is checked, the claims only after it.
        String dupHeader = TestJws.B64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k-v1\",\"alg\":\"none\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("malformed", reason(dupHeader + "." + TestJws.part(claims(certA)) + ".AAAA", certA));
        String claims = TestJws.B64.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"iss\":\"https://evil.test\"}").getBytes(StandardCharsets.UTF_8));
        String input = TestJws.part(header()) + "." + claims;
        String signed = TestJws.es256(header(), Map.of(), key.getPrivate());
        assertEquals("bad_signature", reason(input + signed.substring(signed.lastIndexOf('.')), certA));
        assertEquals("malformed", reason(signRaw(input), certA));
        assertEquals("malformed", reason("a".repeat(9000) + ".b.c", certA));
        assertEquals("malformed", reason(null, certA));
    }

    @Test
    void jwksKeepsOnlyEs256KeysAndRefusesPointsOffTheCurve() {
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        Map<String, Object> good = EcJwk.toJwk(pub, "k-v1");
        String doc = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"off\",\"x\":\"" + good.get("x") + "\",\"y\":\"" + good.get("x") + "\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k-v1\",\"x\":\"" + good.get("x") + "\",\"y\":\"" + good.get("y") + "\"}]}";
        Jwks parsed = Jwks.parse(doc);
        assertEquals(List.of("k-v1"), parsed.kids());
        assertTrue(parsed.key("k-v1").isPresent());
        assertEquals(pub.getW(), parsed.key("k-v1").get().getW());
    }

    @Test
    void aRememberedTokenStillExpiresOnTimeAndDiesWithItsKey() {
        MovableClock moving = new MovableClock(NOW);
        Map<String, ECPublicKey> trusted = new HashMap<>(Map.of("k-v1", (ECPublicKey) key.getPublic()));
        VerificationKeys keys = kid -> java.util.Optional.ofNullable(trusted.get(kid));
        CertificateBoundTokenVerifier remembering = CertificateBoundTokenVerifier.builder(keys)
                .issuer(ISSUER).audience(AUDIENCE).leeway(Duration.ofSeconds(30)).clock(moving)
                .cacheVerifiedTokens(100).build();
        String token = TestJws.es256(header(), claims(certA), key.getPrivate());
        assertEquals("a", remembering.verify(token, certA).clientId());
        assertEquals(1, remembering.rememberedTokens());
        // A hit still demands the holder's certificate, and a tampered copy is a different token.
        assertEquals("binding_mismatch", assertThrows(InvalidAccessTokenException.class,
                () -> remembering.verify(token, certB)).reason());
        Map<String, Object> widened = claims(certA);
        widened.put("scope", "orders.write");
        String tampered = TestJws.part(header()) + "." + TestJws.part(widened) + token.substring(token.lastIndexOf('.'));
        assertEquals("bad_signature", assertThrows(InvalidAccessTokenException.class,
                () -> remembering.verify(tampered, certA)).reason());

        moving.set(NOW.plusSeconds(600 + 29));
        assertEquals("a", remembering.verify(token, certA).clientId());
        moving.set(NOW.plusSeconds(600 + 31));
        assertEquals("expired", assertThrows(InvalidAccessTokenException.class, () -> remembering.verify(token, certA)).reason());
        assertEquals(0, remembering.rememberedTokens());

        moving.set(NOW);
        assertEquals("a", remembering.verify(token, certA).clientId());
        assertEquals(1, remembering.rememberedTokens());
        trusted.clear(); // the key left the key set (e.g. trimmed after a transit rotation)
        assertEquals("unknown_key", assertThrows(InvalidAccessTokenException.class, () -> remembering.verify(token, certA)).reason());
    }

    private String signRaw(String input) {
        try {
            java.security.Signature sig = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
            sig.initSign(key.getPrivate());
            sig.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + TestJws.B64.encodeToString(sig.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
