package io.identitybroker.federation;

import io.identitybroker.ids.SpiffeId;

/**
 * Which foreign SPIFFE IDs an external client stands for: one exact SPIFFE ID, or a prefix
 * followed by {@code /*}, which matches exactly one more path segment
 * ({@code spiffe://example.org/ns/prod/sa/*} matches {@code spiffe://example.org/ns/prod/sa/billing},
 * not {@code .../sa/billing/x} nor {@code .../sa}). Both parts are parsed by the strict SPIFFE ID
 * rules; no other wildcard exists, and the trust domain is always exact.
 */
public record SpiffeIdPattern(SpiffeId base, boolean oneMoreSegment) {
    private static final String WILDCARD = "/*";

    public static SpiffeIdPattern parse(String value) {
        if (value != null && value.endsWith(WILDCARD)) {
            return new SpiffeIdPattern(SpiffeId.parse(value.substring(0, value.length() - WILDCARD.length())), true);
        }
        return new SpiffeIdPattern(SpiffeId.parse(value), false);
    }

    public String trustDomain() {
        return base.trustDomain();
    }

    public boolean matches(SpiffeId id) {
        if (!id.trustDomain().equals(base.trustDomain())) {
            return false;
        }
        if (!oneMoreSegment) {
            return id.segments().equals(base.segments());
        }
        return id.segments().size() == base.segments().size() + 1
                && id.segments().subList(0, base.segments().size()).equals(base.segments());
    }

    @Override
    public String toString() {
        return base + (oneMoreSegment ? WILDCARD : "");
    }
}
