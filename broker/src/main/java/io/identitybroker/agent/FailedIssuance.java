package io.identitybroker.agent;

import io.identitybroker.api.DatabaseFailures;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.pki.SignedCertificate;
import io.identitybroker.pki.SvidProfile;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.util.Map;
import java.util.function.Function;

/**
 * Settles a sign-and-bind transaction (enrollment, rotation) that failed after it began: a
 * certificate Vault had already signed is revoked (best effort, since nobody will ever hold its
 * binding), the failure is audited with why, and the caller learns what it may do next.
 */
@Singleton
public class FailedIssuance {
    private static final Logger LOG = LoggerFactory.getLogger(FailedIssuance.class);

    /** The 500 a caller answers when the binding could not be recorded; {@code profileDetail} when Vault signed off-profile. */
    public record Answer(String title, String detail, String profileDetail) {
    }

    private final PkiBackend pki;
    private final AuditLog audit;

    public FailedIssuance(PkiBackend pki, AuditLog audit) {
        this.pki = pki;
        this.audit = audit;
    }

    /** Inside the transaction: refuses a certificate Vault signed outside the X.509-SVID profile. */
    public static void checkProfile(SignedCertificate cert, String spiffeId, PublicKey key) {
        String violation = SvidProfile.violation(cert.certificate(), spiffeId, key);
        if (violation != null) {
            throw new ProfileViolation(violation);
        }
    }

    /**
     * @param failureEvent the failure event for a reason ({@code issued_certificate_rejected},
     *                     {@code database_unavailable} or {@code binding_not_committed})
     * @return what to throw: a problem the transaction raised as it was; a lost database as it was
     * (503: the claim or swap rolled back, unless the link died mid-commit, so a retry can work);
     * else a 500 named by the reason
     */
    public RuntimeException settle(RuntimeException e, SignedCertificate orphan, String pkiMount,
                                   Function<String, AuditRecord> failureEvent, Answer answer) {
        ProblemType type = reason(e);
        String why = type.code();
        AuditRecord failure = failureEvent.apply(why);
        if (orphan != null) {
            failure.with("serial_number", orphan.serialNumber()).with("revoked", pki.revokeBestEffort(pkiMount, orphan.serialNumber()));
        }
        LOG.error("{} for {} ({}): {}", answer.title(), failure.subject(), why, e.toString());
        audit.appendAloneBestEffort(failure);
        return toThrow(e, type, answer);
    }

    /** Why a sign-and-bind transaction failed, as its failure event and its 500 name it. */
    static ProblemType reason(RuntimeException e) {
        if (e instanceof ProfileViolation) {
            return ProblemType.ISSUED_CERTIFICATE_REJECTED;
        }
        return DatabaseFailures.isConnectionLost(e) ? ProblemType.DATABASE_UNAVAILABLE : ProblemType.BINDING_NOT_COMMITTED;
    }

    /** What {@link #settle} returns for a failure of reason {@code type}: see there. */
    static RuntimeException toThrow(RuntimeException e, ProblemType type, Answer answer) {
        if (e instanceof ProblemException || type == ProblemType.DATABASE_UNAVAILABLE) {
            return e;
        }
        // The route's own title ("Enrollment failed", "Rotation failed") over the type's.
        return new ProblemException(type, type.status(), answer.title(),
                e instanceof ProfileViolation ? answer.profileDetail() : answer.detail(), Map.of(), null);
    }

    /** Vault signed something other than the SVID requested. */
    private static final class ProfileViolation extends RuntimeException {
        ProfileViolation(String message) {
            super(message, null, false, false);
        }
    }
}
