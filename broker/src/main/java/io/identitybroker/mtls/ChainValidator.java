package io.identitybroker.mtls;

import io.identitybroker.crypto.Signatures;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * PKIX validation of a presented client chain against the current anchors. The path is built
 * from the leaf upwards by issuer name and signature, stopping at the first certificate an anchor
 * issued, so a chain that also carries the root is anchored at the tenant's issuing CA. Revocation
 * checking is off: revocation is the binding's status plus Vault's revoke, checked per request.
 */
public final class ChainValidator {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private ChainValidator() {
    }

    public enum Failure { UNTRUSTED, TOO_LONG, EXPIRED, NOT_YET_VALID, UNSUITABLE }

    /** The anchor the chain validated to, or why it did not. */
    public record Result(TrustAnchors.Anchor anchor, Failure failure, String detail) {
        public boolean valid() {
            return failure == null;
        }
    }

    public static Result validate(List<X509Certificate> presented, List<TrustAnchors.Anchor> anchors, Instant now, int maxLength) {
        X509Certificate leaf = presented.get(0);
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        List<X509Certificate> pool = new ArrayList<>(presented.subList(1, presented.size()));
        X509Certificate current = leaf;
        TrustAnchors.Anchor anchor;
        while (true) {
            anchor = issuingAnchor(current, anchors);
            if (anchor != null) {
                break;
            }
            if (path.size() >= maxLength) {
                return new Result(null, Failure.TOO_LONG, "The chain is longer than " + maxLength + " certificates below its anchor.");
            }
            X509Certificate next = issuerIn(current, pool);
            if (next == null) {
                return new Result(null, Failure.UNTRUSTED, "The certificate does not chain to a trusted CA.");
            }
            pool.remove(next);
            path.add(next);
            current = next;
        }
        Result pkix = pkix(path, anchor, Date.from(now));
        if (pkix.valid() || (pkix.failure() != Failure.EXPIRED && pkix.failure() != Failure.NOT_YET_VALID)) {
            return pkix.valid() ? suitability(leaf, anchor) : pkix;
        }
        // A date failure: tell an expired leaf (401, enroll again) from an untrusted chain (403) by
        // validating once more at a moment inside the leaf's own validity.
        Date inside = now.isAfter(leaf.getNotAfter().toInstant()) ? leaf.getNotAfter() : leaf.getNotBefore();
        Result again = pkix(path, anchor, inside);
        if (!again.valid()) {
            return again.failure() == Failure.EXPIRED || again.failure() == Failure.NOT_YET_VALID
                    ? new Result(null, Failure.UNTRUSTED, "A CA certificate of the chain is outside its validity.")
                    : again;
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return new Result(anchor, Failure.EXPIRED, "The client certificate expired; enroll again.");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return new Result(anchor, Failure.NOT_YET_VALID, "The client certificate is not valid yet.");
        }
        return new Result(null, Failure.UNTRUSTED, "A CA certificate of the chain is outside its validity.");
    }

    private static Result suitability(X509Certificate leaf, TrustAnchors.Anchor anchor) {
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (leaf.getBasicConstraints() != -1 || (eku != null && !eku.contains(CLIENT_AUTH) && !eku.contains(ANY_EKU))) {
                return new Result(anchor, Failure.UNSUITABLE,
                        "The client certificate must be an end-entity certificate for client authentication.");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return new Result(anchor, Failure.UNSUITABLE, "The client certificate's key usage cannot be read.");
        }
        return new Result(anchor, null, null);
    }

    private static Result pkix(List<X509Certificate> path, TrustAnchors.Anchor anchor, Date at) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor.certificate(), null)));
            params.setRevocationEnabled(false);
            params.setSigProvider(providerFor(path)); // BoringSSL, not SunEC, where it handles every signature
            params.setDate(at);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
            return new Result(anchor, null, null);
        } catch (CertPathValidatorException e) {
            var reason = e.getReason();
            if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                return new Result(null, Failure.EXPIRED, "expired");
            }
            if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return new Result(null, Failure.NOT_YET_VALID, "not yet valid");
            }
            if (reason == PKIXReason.PATH_TOO_LONG) {
                return new Result(null, Failure.TOO_LONG, "The chain exceeds a CA's path length constraint.");
            }
            return new Result(null, Failure.UNTRUSTED, "The certificate chain does not validate.");
        } catch (GeneralSecurityException e) {
            return new Result(null, Failure.UNTRUSTED, "The certificate chain does not validate.");
        }
    }

    private static TrustAnchors.Anchor issuingAnchor(X509Certificate cert, List<TrustAnchors.Anchor> anchors) {
        TrustAnchors.Anchor found = null;
        for (TrustAnchors.Anchor a : anchors) {
            if (a.certificate().getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, a.certificate())) {
                // Prefer a tenant anchor over a purely external one for the same certificate.
                if (found == null || (found.tenants().isEmpty() && !a.tenants().isEmpty())) {
                    found = a;
                }
            }
        }
        return found;
    }

    private static X509Certificate issuerIn(X509Certificate cert, List<X509Certificate> pool) {
        for (X509Certificate candidate : pool) {
            if (candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Conscrypt when it verifies every signature of the path, else null (the JDK's default providers). */
    private static String providerFor(List<X509Certificate> path) {
        String provider = null;
        for (X509Certificate c : path) {
            provider = Signatures.providerFor(c.getSigAlgName());
            if (provider == null) {
                return null;
            }
        }
        return provider;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            String provider = Signatures.providerFor(cert.getSigAlgName());
            if (provider == null) {
                cert.verify(issuer.getPublicKey());
            } else {
                cert.verify(issuer.getPublicKey(), provider);
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
