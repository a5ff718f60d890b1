package io.identitybroker.enrollment;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each kind of bad input has its own problem type and leaves nothing behind but its failure event. */
class BadInputTest extends BrokerTest {
    static Stream<Arguments> badCsrs() {
        String td = "spiffe://example.org/tenant/acme/agent/";
        return Stream.of(
                Arguments.of("csr_malformed", (Function<String, String>) t -> body(t,
                        "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----\n")),
                Arguments.of("csr_malformed", (Function<String, String>) t -> body(t, Csrs.p256().pem() + Csrs.p256().pem())),
                Arguments.of("csr_malformed", (Function<String, String>) t -> body(t, Csrs.p256().pem() + "trailing")),
                Arguments.of("csr_too_large", (Function<String, String>) t -> body(t, "-----BEGIN CERTIFICATE REQUEST-----\n"
                        + "QUFB\n".repeat(4000) + "-----END CERTIFICATE REQUEST-----\n")),
                Arguments.of("csr_bad_signature", (Function<String, String>) t -> body(t, Csrs.badSignature())),
                Arguments.of("csr_weak_key", (Function<String, String>) t -> body(t, Csrs.of(Csrs.rsa(1024)).pem())),
                Arguments.of("csr_weak_signature", (Function<String, String>) t -> body(t, Csrs.signedWith(Csrs.rsa(2048), "SHA1withRSA").pem())),
                Arguments.of("csr_unsupported_key", (Function<String, String>) t -> body(t, Csrs.of(Csrs.ec("secp521r1")).pem())),
                Arguments.of("csr_explicit_curve", (Function<String, String>) t -> body(t, Csrs.explicitCurve())),
                Arguments.of("csr_foreign_san",
                        (Function<String, String>) t -> body(t, Csrs.withUriSan(Csrs.ec("secp256r1"), td + "other").pem())),
                Arguments.of("csr_ca_requested", (Function<String, String>) t -> body(t, Csrs.requestingCa(Csrs.ec("secp256r1")).pem())),
                Arguments.of("csr_bad_subject",
                        (Function<String, String>) t -> body(t, Csrs.withSubject(Csrs.ec("secp256r1"), new X500Name("CN=a\u0007b")).pem())),
                Arguments.of("malformed_json", (Function<String, String>) t -> "{\"token\": \"" + t + "\", \"csr\": "),
                Arguments.of("malformed_json", (Function<String, String>) t -> "{\"token\": \"" + t + "\", \"csr\": 42}"),
                Arguments.of("json_too_complex",
                        (Function<String, String>) t -> "{\"token\": \"" + t + "\", \"csr\": " + "[".repeat(200) + "]".repeat(200) + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCsrs")
    void badInputGetsItsOwnProblemTypeAndWritesOnlyItsFailureEvent(String expectedType, Function<String, String> makeBody) {
        var token = fixtures.token("acme", 1, 600);
        String tokenId = token.path("id").asText();
        long agentsBefore = broker.count("SELECT count(*) FROM agents");
        long bindingsBefore = broker.count("SELECT count(*) FROM certificate_bindings");

        BrokerApi.Response r = broker.api().post("/api/v1/agent-enrollment/exchange",
                makeBody.apply(token.path("token").asText()), null);

        assertEquals(400, r.status(), r.raw());
        assertEquals(expectedType, r.problemType(), r.raw());
        assertEquals("application/problem+json", r.header("Content-Type"));
        assertEquals(r.header("X-Correlation-Id"), r.body().path("correlation_id").asText());
        assertEquals(0, broker.count("SELECT uses FROM enrollment_tokens WHERE id = ?", tokenId), "token still unused");
        assertEquals(agentsBefore, broker.count("SELECT count(*) FROM agents"));
        assertEquals(bindingsBefore, broker.count("SELECT count(*) FROM certificate_bindings"));
        var events = broker.query("SELECT type, outcome, details FROM audit_events WHERE correlation_id = ?",
                r.header("X-Correlation-Id"));
        assertEquals(1, events.size(), events.toString());
        assertEquals("agent.enrollment.failed", events.get(0).get("type"));
        assertEquals("{\"protocol\":\"json\",\"reason\":\"" + expectedType + "\"}", events.get(0).get("details"));
    }

    private static String body(String token, String csr) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("token", token, "csr", csr));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
