package io.identitybroker.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Opaque keyset page tokens: base64url (unpadded) of the last key a page returned. A token is only
 * ever decoded into a key the caller then checks with {@code wellFormed}; anything else, including
 * padding, a non-base64url character or a key of the wrong shape, is 400 {@code invalid_page_token}
 * and never reaches a query.
 */
public final class PageTokens {
    private static final int MAX_LENGTH = 256;

    private PageTokens() {
    }

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key inside {@code token}, or null when there is no token (the first page). */
    public static String decode(String token, Predicate<String> wellFormed) {
        if (token == null) {
            return null;
        }
        String key;
        try {
            if (token.isEmpty() || token.length() > MAX_LENGTH || !token.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException();
            }
            key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!wellFormed.test(key) || !encode(key).equals(token)) {
            throw invalid();
        }
        return key;
    }

    private static ProblemException invalid() {
        return new ProblemException(ProblemType.INVALID_PAGE_TOKEN,
                "page_token is not a token a previous page returned; omit it to start from the first page.");
    }
}
