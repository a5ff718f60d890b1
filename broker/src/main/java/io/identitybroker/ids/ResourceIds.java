package io.identitybroker.ids;

import java.util.regex.Pattern;

/**
 * The shapes of the ids that appear in API paths, as the broker creates them: tenant ids
 * ({@value #TENANT_RULE}), row ids (lowercase UUIDs: agents, enrollment tokens) and SPIFFE trust
 * domain names (foreign trust domains). A path id of
 * any other shape names nothing, so it is answered like an unknown id without reaching Vault or
 * the database; in particular no dot, slash, wildcard or encoded character ever reaches a Vault path.
 */
public final class ResourceIds {
    public static final String TENANT_RULE = "[a-z0-9][a-z0-9-]{0,62}";
    public static final Pattern TENANT = Pattern.compile(TENANT_RULE);
    public static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    /** A well-formed row id that is never minted (version 0): stands in for a malformed one. */
    public static final String NEVER_MINTED = "00000000-0000-0000-0000-000000000000";

    private ResourceIds() {
    }

    public static boolean isTenant(String value) {
        return value != null && TENANT.matcher(value).matches();
    }

    public static boolean isUuid(String value) {
        return value != null && UUID.matcher(value).matches();
    }

    /**
     * A SPIFFE trust domain name: lowercase letters, digits, {@code .}, {@code -}, {@code _}, at most
     * 255 characters, no empty label (so neither {@code .} nor {@code ..}).
     */
    public static boolean isTrustDomain(String value) {
        if (value == null || !TRUST_DOMAIN.matcher(value).matches()) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (label.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
