package io.identitybroker.oauth;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error on every OAuth route is RFC 6749 JSON ({@code error}, {@code error_description},
 * {@code Cache-Control: no-store}), never problem+json: the framework's own refusals (wrong media
 * type or charset, malformed form, oversized body, wrong method, unknown route, unacceptable
 * answer type) and an unexpected failure (500 {@code server_error}, nothing of it leaked).
 */
class OAuthErrorResponsesTest extends BrokerTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String METADATA = "/.well-known/oauth-authorization-server";
    private static final String TOO_LARGE = "token=" + "a".repeat(70 * 1024);

    /** Method and path, Content-Type (null: none), body (null: none), Accept (null: none), status, words of the description. */
    static Stream<Arguments> frameworkErrors() {
        return Stream.of(
                Arguments.of("POST /oauth2/token", "application/json", "{}", null, 415, FORM),
                Arguments.of("POST /oauth2/introspect", "application/json", "{}", null, 415, FORM),
                Arguments.of("POST /oauth2/token", FORM + "; charset=evil-set", "grant_type=client_credentials", null, 415, FORM),
                Arguments.of("POST /oauth2/introspect", FORM + "; charset=\"utf", "token=x", null, 415, FORM),
                Arguments.of("POST /oauth2/token", FORM, "grant_type=%zz&client_id=x", null, 400, "malformed"),
                Arguments.of("POST /oauth2/introspect", FORM, "token=%e", null, 400, "malformed"),
                Arguments.of("POST /oauth2/token", FORM, "grant_type=client_credentials&grant_type=client_credentials", null, 400, "repeats"),
                Arguments.of("POST /oauth2/introspect", FORM, "token=a&token=b", null, 400, "repeats"),
                Arguments.of("POST /oauth2/token", FORM, TOO_LARGE, null, 413, "larger than allowed"),
                Arguments.of("POST /oauth2/introspect", FORM, TOO_LARGE, null, 413, "larger than allowed"),
                Arguments.of("GET /oauth2/token", null, null, null, 405, "Method not allowed"),
                Arguments.of("GET /oauth2/introspect", null, null, null, 405, "Method not allowed"),
                Arguments.of("POST /oauth2/jwks", "application/json", "{\"evil\": 1}", null, 405, "Method not allowed"),
                Arguments.of("DELETE " + METADATA, null, null, null, 405, "Method not allowed"),
                Arguments.of("GET /oauth2/no-such-endpoint", null, null, null, 404, "No such OAuth endpoint"),
                Arguments.of("GET /oauth2/jwks", null, null, "application/xml", 406, "application/json"),
                Arguments.of("GET " + METADATA, null, null, "application/xml", 406, "application/json"));
    }

    @ParameterizedTest(name = "{0} ({1}, Accept {3}) -> {4}")
    @MethodSource("frameworkErrors")
    void aFrameworkRefusalOnAnOAuthRouteIsRfc6749Json(String route, String contentType, String body, String accept,
                                                      int status, String advice) {
        long events = broker.count("SELECT count(*) FROM audit_events");
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (accept != null) {
            headers.put("Accept", accept);
        }
        String[] parts = route.split(" ");
        BrokerApi.Response r = api.send(parts[0], parts[1], body, null, headers);

        assertOAuthError(r, status, "invalid_request");
        assertTrue(r.body().path("error_description").asText().contains(advice), r.raw());
        assertFalse(r.raw().contains("evil"), "no client text in the answer: " + r.raw());
        if (status == 405) {
            assertNotNull(r.header("Allow"), "405 says which methods the route allows");
        }
        assertEquals(events, broker.count("SELECT count(*) FROM audit_events"), "nothing written");
    }

    @Test
    void anUnexpectedFailureIsServerErrorWithNothingLeaked() {
        EnrolledAgent agent = EnrolledAgent.enroll(fixtures, "acme");
        BrokerApi client = agent.mtls(broker, vault);
        // A schema the broker does not expect: every query on bindings fails with an SQL error that is no outage.
        broker.update("ALTER TABLE certificate_bindings RENAME TO bindings_elsewhere");
        BrokerApi.Response token;
        BrokerApi.Response introspection;
        try {
            token = TokenRequests.post(client, TokenRequests.form(agent, ""));
            introspection = client.postForm("/oauth2/introspect", "token=x&client_id=" + agent.agentId(), null);
        } finally {
            broker.update("ALTER TABLE bindings_elsewhere RENAME TO certificate_bindings");
        }
        for (BrokerApi.Response r : new BrokerApi.Response[]{token, introspection}) {
            assertOAuthError(r, 500, "server_error");
            assertEquals("The request failed; the correlation id identifies it in the logs.",
                    r.body().path("error_description").asText(), r.raw());
            assertFalse(r.raw().toLowerCase().contains("bindings") || r.raw().contains("SQL"), "nothing leaked: " + r.raw());
        }
        assertEquals(200, TokenRequests.post(client, TokenRequests.form(agent, "")).status(), "restored");
    }

    static void assertOAuthError(BrokerApi.Response r, int status, String error) {
        assertEquals(status, r.status(), r.raw());
        assertEquals("application/json", r.header("Content-Type"), r.raw());
        assertEquals(error, r.body().path("error").asText(), r.raw());
        assertTrue(r.body().path("error_description").isTextual(), r.raw());
        assertEquals("no-store", r.header("Cache-Control"));
        assertNotNull(r.header("X-Correlation-Id"));
    }
}
