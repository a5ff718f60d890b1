package io.identitybroker.oauth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** RFC 6749 §3.3 scope requests against the scopes an agent was enrolled with. */
public final class Scopes {
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");

    private Scopes() {
    }

    /** A requested scope is malformed or goes beyond what the client may have. */
    public static final class InvalidScope extends RuntimeException {
        InvalidScope(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The scope to grant: all of {@code allowed} when nothing was requested, else the requested
     * scope tokens, each of which must be allowed.
     *
     * @return space-separated scope tokens, without repeats
     * @throws InvalidScope when a token is malformed or not allowed
     */
    public static String grant(String requested, List<String> allowed) {
        if (requested == null || requested.isEmpty()) {
            return String.join(" ", allowed);
        }
        Set<String> granted = new LinkedHashSet<>();
        for (String token : requested.split(" ", -1)) {
            if (!SCOPE_TOKEN.matcher(token).matches()) {
                throw new InvalidScope("scope is not a space-separated list of scope tokens");
            }
            if (!allowed.contains(token)) {
                throw new InvalidScope("scope exceeds what this client may request");
            }
            granted.add(token);
        }
        return String.join(" ", granted);
    }
}
