package io.identitybroker.oauth;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.EnrolledAgent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Requests to the real {@code POST /oauth2/token}, made by a client that presents (or not) a certificate. */
final class TokenRequests {
    private TokenRequests() {
    }

    static BrokerApi.Response post(BrokerApi client, String form) {
        return client.postForm("/oauth2/token", form, null);
    }

    /** {@code grant_type=client_credentials&client_id=<agent>} followed by {@code extra} (already encoded, "&..."). */
    static String form(EnrolledAgent agent, String extra) {
        return "grant_type=client_credentials&client_id=" + agent.agentId() + extra;
    }

    static String scope(String scope) {
        return "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    }

    /** An access token for {@code agent}, all its scopes, over {@code client} (which presents the agent's certificate). */
    static String issue(BrokerApi client, EnrolledAgent agent) {
        BrokerApi.Response r = post(client, form(agent, ""));
        assertEquals(200, r.status(), r.raw());
        return r.body().path("access_token").asText();
    }
}
