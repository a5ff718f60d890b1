package io.identitybroker.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one check of a request body's {@code Content-Type}: the route family's media type, and UTF-8
 * or no charset at all (RFC 8259 JSON and the OAuth form are UTF-8). Done before routing, so an
 * unknown or malformed charset never reaches a decoder (where it would be a 500 with a stack
 * trace). The caller renders the refusal in its protocol's error format; nothing is logged and no
 * part of the header is echoed.
 */
public final class BodyMediaType {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"\\\\\\p{Cntrl}]*\"");

    private BodyMediaType() {
    }

    /**
     * True when the request carries a body (or names a type for one) that is not {@code expected}
     * in UTF-8. A request without body and without {@code Content-Type} is acceptable.
     */
    public static boolean isUnsupported(HttpRequest<?> request, String expected) {
        HttpMethod method = request.getMethod();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return false;
        }
        String header = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (header == null) {
            return hasBody(request);
        }
        return !matches(header, expected);
    }

    static boolean matches(String header, String expected) {
        String[] parts = header.split(";", -1);
        String type = parts[0].trim();
        if (!type.equalsIgnoreCase(expected)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            String name = parameter.substring(0, eq).trim();
            String value = parameter.substring(eq + 1).trim();
            if (!TOKEN.matcher(name).matches() || !(TOKEN.matcher(value).matches() || QUOTED.matcher(value).matches())) {
                return false;
            }
            if (name.equalsIgnoreCase("charset")) {
                String charset = value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
                if (!charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasBody(HttpRequest<?> request) {
        HttpHeaders headers = request.getHeaders();
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return headers.contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.trim().equals("0"));
    }
}
