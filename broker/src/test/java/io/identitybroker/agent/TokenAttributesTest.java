package io.identitybroker.agent;

import io.identitybroker.api.ProblemException;
import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link TokenAttributes}: the labels, scopes and agent name an enrollment token hands on, each
 * row with its stored form or the 400 {@code invalid_enrollment_token_request} it gets.
 */
@FastTest
class TokenAttributesTest {
    private static final String INVALID = "invalid_enrollment_token_request";

    static Stream<Arguments> labels() {
        Map<String, String> withNullValue = new HashMap<>();
        withNullValue.put("env", null);
        Map<String, String> thirtyThree = new HashMap<>();
        IntStream.range(0, 33).forEach(i -> thirtyThree.put("k" + i, "v"));
        Map<String, String> thirtyTwo = new HashMap<>(thirtyThree);
        thirtyTwo.remove("k0");
        return Stream.of(
                Arguments.of("none", null, "{}"),
                Arguments.of("empty", Map.of(), "{}"),
                Arguments.of("sorted by key", Map.of("zone", "b", "app", "a"), "{\"app\":\"a\",\"zone\":\"b\"}"),
                Arguments.of("key with . _ / -", Map.of("team.io/owner_x-y", "ops"), "{\"team.io/owner_x-y\":\"ops\"}"),
                Arguments.of("empty value", Map.of("env", ""), "{\"env\":\"\"}"),
                Arguments.of("value of 256", Map.of("env", "v".repeat(256)), "{\"env\":\"" + "v".repeat(256) + "\"}"),
                Arguments.of("quote in value, escaped", Map.of("env", "a\"b"), "{\"env\":\"a\\\"b\"}"),
                Arguments.of("32 labels", thirtyTwo, null),
                Arguments.of("33 labels", thirtyThree, INVALID),
                Arguments.of("uppercase key", Map.of("Env", "x"), INVALID),
                Arguments.of("key ending in a dash", Map.of("env-", "x"), INVALID),
                Arguments.of("key starting with a dot", Map.of(".env", "x"), INVALID),
                Arguments.of("key of 64", Map.of("k".repeat(64), "x"), INVALID),
                Arguments.of("key of 63", Map.of("k".repeat(63), "x"), "{\"" + "k".repeat(63) + "\":\"x\"}"),
                Arguments.of("empty key", Map.of("", "x"), INVALID),
                Arguments.of("null value", withNullValue, INVALID),
                Arguments.of("value of 257", Map.of("env", "v".repeat(257)), INVALID),
                Arguments.of("control character in value", Map.of("env", "a\nb"), INVALID));
    }

    /** {@code expected}: the stored JSON, {@link #INVALID}, or null for "valid, and it reads back the same". */
    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void labelsAreStoredAsSortedJsonOrRefused(String name, Map<String, String> labels, String expected) {
        if (INVALID.equals(expected)) {
            ProblemException e = assertThrows(ProblemException.class, () -> TokenAttributes.labelsJson(labels));
            assertEquals(INVALID, e.code());
            assertEquals(400, e.status().getCode());
            return;
        }
        String json = TokenAttributes.labelsJson(labels);
        if (expected != null) {
            assertEquals(expected, json);
        }
        assertEquals(labels == null ? Map.of() : labels, TokenAttributes.labels(json), "reads back as given");
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(nullValues = "NULL", value = {
            "'',                    ''",
            "b a,                   a b",
            "a b a,                 a b",
            "orders.read,           orders.read",
            "!#$%&()*+-./:;<=>?@[]^_`{|}~, !#$%&()*+-./:;<=>?@[]^_`{|}~",
            "a\"b,                  INVALID",
            "a\\b,                  INVALID",
            "ünï,                   INVALID"})
    void scopesAreStoredSortedWithoutRepeatsOrRefused(String scopes, String expected) {
        List<String> list = scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(" "));
        if ("INVALID".equals(expected)) {
            assertEquals(INVALID, assertThrows(ProblemException.class, () -> TokenAttributes.scopes(list)).code());
        } else {
            String stored = TokenAttributes.scopes(list);
            assertEquals(expected, stored);
            assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split(" ")), TokenAttributes.scopeList(stored));
        }
    }

    @ParameterizedTest(name = "{0} scopes of {1} characters: valid {2}")
    @CsvSource({"32, 128, true", "33, 1, false", "1, 129, false", "0, 0, true"})
    void scopeListsHaveLimits(int count, int length, boolean valid) {
        List<String> list = IntStream.range(0, count).mapToObj(i -> "s".repeat(Math.max(0, length - 3)) + (100 + i)).toList();
        if (valid) {
            assertEquals(count, TokenAttributes.scopeList(TokenAttributes.scopes(list)).size());
        } else {
            assertThrows(ProblemException.class, () -> TokenAttributes.scopes(list));
        }
    }

    @ParameterizedTest(name = "''{0}'': valid {1}")
    @CsvSource(nullValues = "NULL", value = {"NULL, true", "web-1, true", "A.b_c-9, true", "'', false", "-web, false",
            ".web, false", "web 1, false", "wéb, false"})
    void agentNamesAreRefusedOrKept(String name, boolean valid) {
        if (valid) {
            assertEquals(name, TokenAttributes.agentName(name));
        } else {
            assertEquals(INVALID, assertThrows(ProblemException.class, () -> TokenAttributes.agentName(name)).code());
        }
    }

    @ParameterizedTest(name = "agent name of {0} characters: valid {1}")
    @CsvSource({"128, true", "129, false"})
    void agentNamesAreAtMost128Characters(int length, boolean valid) {
        String name = "n".repeat(length);
        if (valid) {
            assertEquals(name, TokenAttributes.agentName(name));
        } else {
            assertThrows(ProblemException.class, () -> TokenAttributes.agentName(name));
        }
    }
}
