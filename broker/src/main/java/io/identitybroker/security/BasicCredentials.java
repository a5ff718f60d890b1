package io.identitybroker.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic credentials (RFC 7617) as a request presents them. Bounded and never judged here: an
 * {@code Authorization} header over 512 characters, of another scheme, with bad base64 or without
 * a colon is no credentials at all; callers compare what they find, in constant time where a
 * secret is involved. The password never appears in {@link #toString()}.
 */
public record BasicCredentials(String user, String password) {
    private static final String BASIC = "Basic ";
    /** Longer than any agent id with its secret or any enrollment token, short enough to decode cheaply. */
    private static final int MAX_HEADER = 512;

    public static Optional<BasicCredentials> of(HttpRequest<?> request) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.length() > MAX_HEADER
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=<redacted>]";
    }
}
