package io.identitybroker.ids;


import java.util.List;
import java.util.regex.Pattern;

/**
 * A SPIFFE ID, parsed by the SPIFFE ID rules: lowercase {@code spiffe} scheme, a trust domain of
 * lowercase letters, digits, dots, dashes and underscores, and a path of non-empty segments of
 * letters, digits, dots, dashes and underscores other than {@code .} and {@code ..}. No
 * percent-encoding, userinfo, port, query or fragment.
 */
public record SpiffeId(String trustDomain, List<String> segments) {
    public static final int MAX_LENGTH = 2048;
    private static final String SCHEME = "spiffe://";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    public SpiffeId {
        if (!isTrustDomain(trustDomain)) {
            throw new IllegalArgumentException("invalid trust domain");
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException("invalid path segment");
            }
        }
        segments = List.copyOf(segments);
    }

    /**
     * The SPIFFE trust domain rules: 1-255 of lowercase letters, digits, {@code .}, {@code -} and
     * {@code _}, and no empty label, so neither {@code .} nor {@code ..}, no leading or trailing dot,
     * no {@code a..b}.
     */
    public static boolean isTrustDomain(String value) {
        return ResourceIds.isTrustDomain(value);
    }

    public static SpiffeId parse(String value) {
        if (value == null || value.length() > MAX_LENGTH || !value.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a spiffe:// URI");
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String td = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        if (path.equals("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("trailing slash");
        }
        List<String> segments = path.isEmpty() ? List.of() : List.of(path.substring(1).split("/", -1));
        return new SpiffeId(td, segments);
    }

    /** The identity the broker assigns: {@code spiffe://<td>/tenant/<tenant>/agent/<agent>}. */
    public static SpiffeId forAgent(String trustDomain, String tenant, String agentId) {
        return new SpiffeId(trustDomain, List.of("tenant", tenant, "agent", agentId));
    }

    @Override
    public String toString() {
        return SCHEME + trustDomain + (segments.isEmpty() ? "" : "/" + String.join("/", segments));
    }
}
