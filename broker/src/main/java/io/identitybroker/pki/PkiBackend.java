package io.identitybroker.pki;

import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** Where certificates are signed and revoked. The broker never holds a CA key. */
public interface PkiBackend {

    /**
     * Signs {@code csrPem} for exactly one URI SAN through {@code mount}'s {@code role}.
     * Not retried: a retried sign could mint a second certificate.
     */
    SignedCertificate sign(String mount, String role, String csrPem, String uriSan);

    /** Revokes a serial on its issuing mount; idempotent. */
    void revoke(String mount, String serialNumber);

    /**
     * {@link #revoke}, for clean-up after a failure that is already being reported: a failed
     * revocation is logged, not thrown, and the result goes into that failure's audit event.
     *
     * @return whether Vault revoked it
     */
    default boolean revokeBestEffort(String mount, String serialNumber) {
        try {
            revoke(mount, serialNumber);
            return true;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(PkiBackend.class)
                    .error("Could not revoke unbound certificate {} on {}: {}", serialNumber, mount, e.toString());
            return false;
        }
    }

    /**
     * Serial numbers of every certificate the mount has stored ({@code LIST <mount>/certs}: the
     * role stores what it signs), in no useful order; empty when the mount has none.
     */
    List<String> storedSerials(String mount);

    /** A stored certificate ({@code <mount>/cert/<serial>}) and whether it is revoked; empty when unknown. */
    Optional<StoredCertificate> storedCertificate(String mount, String serialNumber);

    /** A certificate as the mount keeps it. */
    record StoredCertificate(String serialNumber, X509Certificate certificate, boolean revoked) {
    }

    /** The role's settings that matter for the X.509-SVID profile, or empty when mount or role does not exist. */
    Optional<RoleSettings> role(String mount, String role);

    /** The mount's issuing chain, issuing CA first. */
    List<X509Certificate> caChain(String mount);

    /** The mount's published URLs ({@code <mount>/config/urls}): where relying parties find its CRL and OCSP. */
    PkiUrls urls(String mount);

    /** What a mount publishes about itself; each list may be empty. */
    record PkiUrls(List<String> issuingCertificates, List<String> crlDistributionPoints, List<String> ocspServers) {
        public static final PkiUrls NONE = new PkiUrls(List.of(), List.of(), List.of());
    }

    /**
     * The parts of a PKI role the broker checks before trusting it with a tenant.
     *
     * @param useCsrSans       must be false: the broker, not the CSR, decides the identity
     * @param useCsrCommonName must be false for the same reason
     * @param noStore          true when the role keeps no copy of what it signs (issuance
     *                         reconciliation then cannot find a certificate)
     */
    record RoleSettings(boolean useCsrSans, boolean useCsrCommonName, List<String> allowedUriSans, boolean noStore) {
    }
}
