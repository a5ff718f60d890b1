package io.identitybroker.mtls;

import io.identitybroker.ids.SpiffeId;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * PKIX validation of an X.509-SVID chain against the X.509 authorities of one foreign trust
 * domain's bundle (SPIFFE federation), with the same path building, length bound and
 * end-entity/client-auth suitability checks as agent certificates. The roots of other trust
 * domains are never offered, so bundles cannot mix.
 */
public final class ForeignSvidChains {
    private ForeignSvidChains() {
    }

    /** Why a chain was refused, as an audit reason code. */
    public enum Refusal { UNTRUSTED, CHAIN_TOO_LONG, EXPIRED, NOT_YET_VALID, UNSUITABLE }

    /**
     * The same for a server's X.509-SVID (an https_spiffe bundle endpoint): the leaf must be an
     * end-entity certificate for server authentication instead of client authentication.
     */
    public static Refusal validateServer(List<X509Certificate> chain, List<X509Certificate> roots, Instant now, int maxLength) {
        Refusal refusal = validate(chain, roots, now, maxLength);
        if (refusal != Refusal.UNSUITABLE) {
            return refusal;
        }
        // The client-auth suitability check refused it after the chain validated: judge it as a server.
        try {
            X509Certificate leaf = chain.get(0);
            List<String> eku = leaf.getExtendedKeyUsage();
            boolean server = eku == null || eku.contains("1.3.6.1.5.5.7.3.1") || eku.contains("2.5.29.37.0");
            return leaf.getBasicConstraints() == -1 && server ? null : Refusal.UNSUITABLE;
        } catch (java.security.cert.CertificateParsingException e) {
            return Refusal.UNSUITABLE;
        }
    }

    /** The leaf's SPIFFE ID: its single URI SAN, strictly parsed; empty for anything else. */
    public static java.util.Optional<SpiffeId> spiffeIdOf(X509Certificate leaf) {
        return AgentIdentity.claimOf(leaf) instanceof AgentIdentity.Spiffe spiffe
                ? java.util.Optional.of(spiffe.id()) : java.util.Optional.empty();
    }

    /**
     * @param chain leaf first
     * @param roots the trust domain's current X.509 authorities
     * @return the refusal, or null when the chain validates at {@code now}
     */
    public static Refusal validate(List<X509Certificate> chain, List<X509Certificate> roots, Instant now, int maxLength) {
        if (chain.isEmpty() || roots.isEmpty()) {
            return Refusal.UNTRUSTED;
        }
        List<TrustAnchors.Anchor> anchors = roots.stream().map(r -> new TrustAnchors.Anchor(r, Set.of(), true)).toList();
        ChainValidator.Result result = ChainValidator.validate(chain, anchors, now, maxLength);
        if (result.valid()) {
            return null;
        }
        return switch (result.failure()) {
            case UNTRUSTED -> Refusal.UNTRUSTED;
            case TOO_LONG -> Refusal.CHAIN_TOO_LONG;
            case EXPIRED -> Refusal.EXPIRED;
            case NOT_YET_VALID -> Refusal.NOT_YET_VALID;
            case UNSUITABLE -> Refusal.UNSUITABLE;
        };
    }
}
