package io.identitybroker.ids;

import io.identitybroker.mtls.AgentIdentity;
import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SPIFFE ID rules the agent identity is parsed by. */
@FastTest
class SpiffeIdTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "spiffe://example.org/tenant/acme/agent/0a1b",
            "spiffe://example.org",
            "spiffe://sub.example-org_1/Path/With.Dots/and-dashes/under_scores"})
    void validIdsRoundTrip(String id) {
        assertEquals(id, SpiffeId.parse(id).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SPIFFE://example.org/a",           // scheme must be lowercase
            "spiffe://Example.org/a",           // trust domain must be lowercase
            "spiffe:///a",                      // empty trust domain
            "spiffe://example.org/",            // trailing slash
            "spiffe://example.org/a/",          // trailing slash
            "spiffe://example.org//a",          // empty segment
            "spiffe://example.org/./a",         // dot segment
            "spiffe://example.org/a/..",        // dot-dot segment
            "spiffe://example.org/a%2Fb",       // percent-encoding
            "spiffe://user@example.org/a",      // userinfo
            "spiffe://example.org:8443/a",      // port
            "spiffe://example.org/a?x=1",       // query
            "spiffe://example.org/a#frag",      // fragment
            "spiffe://exa mple.org/a",          // space
            "https://example.org/a",            // other scheme
            ""})
    void invalidIdsAreRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> SpiffeId.parse(id));
    }

    @org.junit.jupiter.api.Test
    void sizeLimitsHold() {
        assertThrows(IllegalArgumentException.class, () -> SpiffeId.parse("spiffe://example.org/" + "a".repeat(2048)));
        assertThrows(IllegalArgumentException.class, () -> SpiffeId.parse("spiffe://" + "a".repeat(256) + "/x"));
        assertTrue(SpiffeId.parse("spiffe://" + "a".repeat(255) + "/x").trustDomain().length() == 255);
    }

    @org.junit.jupiter.api.Test
    void onlyTheBrokersAgentPathIsAnAgentIdentity() {
        var id = AgentIdentity.ofSpiffe(SpiffeId.parse("spiffe://example.org/tenant/acme/agent/a1")).orElseThrow();
        assertEquals("acme", id.tenant());
        assertEquals("a1", id.agentId());
        assertTrue(AgentIdentity.ofSpiffe(SpiffeId.parse("spiffe://example.org/ns/prod/sa/worker")).isEmpty());
        assertTrue(AgentIdentity.ofSpiffe(SpiffeId.parse("spiffe://example.org/tenant/acme/agent/a1/extra")).isEmpty());
        assertTrue(AgentIdentity.ofDns("a1.acme.example.org", "acme", "example.org").isPresent());
        assertTrue(AgentIdentity.ofDns("a1.globex.example.org", "acme", "example.org").isEmpty());
        assertTrue(AgentIdentity.ofDns("x.a1.acme.example.org", "acme", "example.org").isEmpty());
    }
}
