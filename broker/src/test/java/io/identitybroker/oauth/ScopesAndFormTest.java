package io.identitybroker.oauth;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Scope requests and form parsing of the OAuth endpoints, without a broker. */
@FastTest
class ScopesAndFormTest {
    private static final List<String> ALLOWED = List.of("orders.read", "orders.write");

    @Test
    void noScopeRequestedGrantsEveryAllowedScope() {
        assertEquals("orders.read orders.write", Scopes.grant(null, ALLOWED));
        assertEquals("orders.read orders.write", Scopes.grant("", ALLOWED));
        assertEquals("", Scopes.grant(null, List.of()));
    }

    @Test
    void requestedScopeMustBeASubsetOfWellFormedTokens() {
        assertEquals("orders.read", Scopes.grant("orders.read", ALLOWED));
        assertEquals("orders.write orders.read", Scopes.grant("orders.write orders.read orders.write", ALLOWED));
        assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant("orders.read admin", ALLOWED));
        assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant("orders.read  orders.write", ALLOWED));
        assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant(" orders.read", ALLOWED));
        assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant("orders\"read", List.of("orders\"read")));
        assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant("orders.read", List.of()));
    }

    @Test
    void formParametersAreDecodedAndNeverRepeated() {
        FormParameters form = FormParameters.parse("grant_type=client_credentials&scope=orders.read+orders.write&client_id=&x");
        assertEquals(Optional.of("client_credentials"), form.get("grant_type"));
        assertEquals(Optional.of("orders.read orders.write"), form.get("scope"));
        assertEquals(Optional.empty(), form.get("client_id"));
        assertEquals(Optional.empty(), form.get("x"));
        assertEquals(Optional.of("a=b&c"), FormParameters.parse("token=a%3Db%26c").get("token"));
        assertThrows(IllegalArgumentException.class, () -> FormParameters.parse("scope=a&scope=b"));
        assertThrows(IllegalArgumentException.class, () -> FormParameters.parse("token=%zz"));
        assertThrows(IllegalArgumentException.class, () -> FormParameters.parse(String.join("&",
                java.util.stream.IntStream.range(0, 40).mapToObj(i -> "p" + i + "=1").toList())));
        assertEquals(Optional.empty(), FormParameters.parse(null).get("token"));
    }
}
