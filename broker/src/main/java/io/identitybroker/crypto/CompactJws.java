package io.identitybroker.crypto;

/**
 * The shape of a JWS in compact serialization (RFC 7515 section 7.1): three base64url parts
 * without padding, joined by two dots. Checked with one pass over the characters, before any
 * part is decoded; a shape check only, never a verification.
 */
public final class CompactJws {
    private CompactJws() {
    }

    /**
     * Whether {@code token} is three non-empty base64url parts joined by dots; with
     * {@code signatureMayBeEmpty}, the third part may be empty (an unsigned token, so that it can
     * be refused by its algorithm rather than by its shape).
     */
    public static boolean wellFormed(String token, boolean signatureMayBeEmpty) {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0 || ++dots > 2) {
                    return false;
                }
                partLength = 0;
            } else if (base64url(c)) {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2 && (partLength > 0 || signatureMayBeEmpty);
    }

    private static boolean base64url(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}
