package io.identitybroker.issuance;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Issuance intents and their reconciliation ({@code broker.issuance.*}). */
@ConfigurationProperties("broker.issuance")
public class IssuanceProperties {
    /**
     * An intent older than this belongs to no live request (a sign-and-bind never takes this long:
     * Vault's read timeout, the database's lock timeout and pool wait are all far shorter). Default 2 min.
     */
    private Duration reconcileAfter = Duration.ofMinutes(2);
    /** How often a replica looks for such intents; it also looks shortly after it starts. Default 60 s. */
    private Duration reconcileInterval = Duration.ofSeconds(60);
    /** How soon after start a replica first looks (it may have been the one that crashed). Default 5 s. */
    private Duration reconcileInitialDelay = Duration.ofSeconds(5);
    /** The most certificates one sweep reads from a mount while looking for an intent's certificate. Default 10,000. */
    private int maxCertificatesRead = 10_000;
    /**
     * Tests only: how long a sign-and-bind waits between Vault's signature and the commit, so a
     * test can kill the process there. Zero (off) unless set in the broker's own configuration;
     * no request can change it.
     */
    private Duration testPauseAfterSign = Duration.ZERO;

    public Duration getReconcileAfter() { return reconcileAfter; }
    public void setReconcileAfter(Duration reconcileAfter) { this.reconcileAfter = reconcileAfter; }
    public Duration getReconcileInterval() { return reconcileInterval; }
    public void setReconcileInterval(Duration reconcileInterval) { this.reconcileInterval = reconcileInterval; }
    public Duration getReconcileInitialDelay() { return reconcileInitialDelay; }
    public void setReconcileInitialDelay(Duration reconcileInitialDelay) { this.reconcileInitialDelay = reconcileInitialDelay; }
    public int getMaxCertificatesRead() { return maxCertificatesRead; }
    public void setMaxCertificatesRead(int maxCertificatesRead) { this.maxCertificatesRead = maxCertificatesRead; }
    public Duration getTestPauseAfterSign() { return testPauseAfterSign; }
    public void setTestPauseAfterSign(Duration testPauseAfterSign) { this.testPauseAfterSign = testPauseAfterSign; }
}
