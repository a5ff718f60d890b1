package io.identitybroker.issuance;

import io.identitybroker.ids.TimeOrderedUuid;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The three points a sign-and-bind flow calls:
 * <ol>
 *   <li>{@link #open} before its transaction, so before Vault is asked: one INSERT, committed alone;</li>
 *   <li>{@link #close} inside the transaction that records the binding: one conditional DELETE, so
 *       the intent disappears exactly when the binding commits and stays when it rolls back. It
 *       fails if a reconciler claimed the intent meanwhile (the request outlived the bound), and
 *       then the flow's failure handling revokes what Vault signed;</li>
 *   <li>{@link #abandon} when the flow knows Vault signed nothing (a lost token claim, a conflict).</li>
 * </ol>
 * Any other failure leaves the intent open for {@link IssuanceReconciler}: Vault may have signed
 * before its answer was lost, and only a look at Vault can tell.
 */
@Singleton
public class IssuanceIntents {
    private static final Logger LOG = LoggerFactory.getLogger(IssuanceIntents.class);

    private final IssuanceIntentRepository intents;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final Duration pauseAfterSign;

    public IssuanceIntents(IssuanceIntentRepository intents, TransactionOperations<Connection> transactions, Clock clock,
                           IssuanceConfiguration properties) {
        this.intents = intents;
        this.transactions = transactions;
        this.clock = clock;
        this.pauseAfterSign = properties.getTestPauseAfterSign();
        if (!pauseAfterSign.isZero()) {
            LOG.warn("broker.issuance.test-pause-after-sign={}: every issuance waits between Vault's signature and the"
                    + " commit. For crash tests only.", pauseAfterSign);
        }
    }

    /** Records, and commits, what is about to be signed; call outside any transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public IssuanceIntent open(String kind, String tenantId, String pkiMount, String pkiRole, String agentId,
                               String spiffeId, String enrollmentTokenId) {
        return intents.save(new IssuanceIntent(TimeOrderedUuid.next(), kind, tenantId, pkiMount, pkiRole, agentId, spiffeId,
                enrollmentTokenId, clock.instant().truncatedTo(ChronoUnit.MICROS), null));
    }

    /** After Vault signed, before the binding is written: only the crash tests' pause, when configured. */
    public void signed(IssuanceIntent intent) {
        if (!pauseAfterSign.isZero()) {
            LOG.warn("Pausing {} after Vault signed for intent {} (test-pause-after-sign)", pauseAfterSign, intent.id());
            try {
                Thread.sleep(pauseAfterSign.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Inside the binding's transaction.
     *
     * @throws IntentReconciledException when a reconciler took the intent over: the transaction must roll back
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void close(IssuanceIntent intent) {
        if (intents.closeUnclaimed(intent.id()) != 1) {
            throw new IntentReconciledException(intent.id());
        }
    }

    /** Vault signed nothing for this intent: forget it (best effort; a leftover is reconciled as "not signed"). */
    public void abandon(IssuanceIntent intent) {
        try {
            transactions.executeWrite(status -> intents.closeUnclaimed(intent.id()));
        } catch (RuntimeException e) {
            LOG.warn("Could not close issuance intent {} ({}); the reconciler will", intent.id(), e.toString());
        }
    }

    /** The request took longer than the reconciliation bound and a reconciler claimed its intent. */
    public static final class IntentReconciledException extends RuntimeException {
        IntentReconciledException(String intentId) {
            super("issuance intent " + intentId + " was claimed by the reconciler before the binding committed", null,
                    false, false);
        }
    }
}
