package io.identitybroker.issuance;

import java.time.Duration;

/** Issuance intents and their reconciliation ({@value IssuanceConfigurationProperties#PREFIX}.*). */
public interface IssuanceConfiguration {
    /**
     * An intent older than this belongs to no live request (a sign-and-bind never takes this long:
     * Vault's read timeout, the database's lock timeout and pool wait are all far shorter).
     */
    Duration getReconcileAfter();

    /** How often a replica looks for such intents; it also looks shortly after it starts. */
    Duration getReconcileInterval();

    /** How soon after start a replica first looks (it may have been the one that crashed). */
    Duration getReconcileInitialDelay();

    /** The most certificates one sweep reads from a mount while looking for an intent's certificate. */
    int getMaxCertificatesRead();

    /**
     * Tests only: how long a sign-and-bind waits between Vault's signature and the commit, so a
     * test can kill the process there. Zero (off) unless set in the broker's own configuration;
     * no request can change it.
     */
    Duration getTestPauseAfterSign();
}
