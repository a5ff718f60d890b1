package io.identitybroker.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A strictly parsed {@code application/x-www-form-urlencoded} body. RFC 6749 §3.2 forbids
 * repeating a parameter; a repeated one is refused here rather than resolved first- or last-wins,
 * which different components could resolve differently.
 */
final class FormParameters {
    static final int MAX_PARAMETERS = 32;

    private final Map<String, String> values;

    private FormParameters(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException when the body is malformed or repeats a parameter */
    static FormParameters parse(String body) {
        Map<String, String> values = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return new FormParameters(values);
        }
        String[] pairs = body.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw new IllegalArgumentException("too many parameters");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (values.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("parameter " + name + " is repeated");
            }
        }
        return new FormParameters(values);
    }

    /** The body's parameters; a malformed body or a repeated parameter is {@code invalid_request}. */
    static FormParameters parseOrRefuse(String body) {
        try {
            return parse(body);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "The form body is malformed or repeats a parameter.");
        }
    }

    /** The parameter, empty when absent or empty (RFC 6749 §3.1: empty parameters are treated as omitted). */
    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
