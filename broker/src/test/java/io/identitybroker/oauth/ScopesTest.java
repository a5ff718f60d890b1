package io.identitybroker.oauth;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Scopes#grant} as a table: the requested {@code scope} parameter, the scopes the client was
 * enrolled with (space-separated), and the granted scope or {@code INVALID} ({@code invalid_scope}).
 */
@FastTest
class ScopesTest {

    @ParameterizedTest(name = "''{0}'' of ''{1}'' -> ''{2}''")
    @CsvSource(nullValues = "NULL", value = {
            "NULL,                                  orders.read orders.write, orders.read orders.write",
            "'',                                    orders.read orders.write, orders.read orders.write",
            "NULL,                                  '',                       ''",
            "orders.read,                           orders.read orders.write, orders.read",
            "orders.write orders.read,              orders.read orders.write, orders.write orders.read",
            "orders.write orders.read orders.write, orders.read orders.write, orders.write orders.read",
            "orders.read admin,                     orders.read orders.write, INVALID",
            "orders.read,                           '',                       INVALID",
            "'orders.read  orders.write',           orders.read orders.write, INVALID",
            "' orders.read',                        orders.read,              INVALID",
            "'orders.read ',                        orders.read,              INVALID",
            "orders\"read,                          orders\"read,             INVALID",
            "orders\\read,                          orders\\read,             INVALID",
            "ordérs,                                ordérs,                   INVALID",
            "!#$%&()*+-./:;<=>?@[]^_`{|}~,          !#$%&()*+-./:;<=>?@[]^_`{|}~, !#$%&()*+-./:;<=>?@[]^_`{|}~",
            "ORDERS.READ,                           orders.read,              INVALID"})
    void grantsTheRequestedSubsetOrRefusesIt(String requested, String allowed, String expected) {
        List<String> allowedList = allowed.isEmpty() ? List.of() : Arrays.asList(allowed.split(" "));
        if ("INVALID".equals(expected)) {
            assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant(requested, allowedList));
        } else {
            assertEquals(expected, Scopes.grant(requested, allowedList));
        }
    }

    @ParameterizedTest(name = "a scope token of {0} characters: valid {1}")
    @CsvSource({"128, true", "129, false"})
    void scopeTokensAreAtMost128Characters(int length, boolean valid) {
        String token = "s".repeat(length);
        if (valid) {
            assertEquals(token, Scopes.grant(token, List.of(token)));
        } else {
            assertThrows(Scopes.InvalidScope.class, () -> Scopes.grant(token, List.of(token)));
        }
    }
}
