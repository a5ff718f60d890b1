package io.identitybroker.issuance;

import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link IssuanceConfiguration} from {@code broker.issuance.*}. */
@Context
@ConfigurationProperties(IssuanceConfigurationProperties.PREFIX)
public class IssuanceConfigurationProperties implements IssuanceConfiguration {
    public static final String PREFIX = "broker.issuance";
    public static final String DEFAULT_RECONCILE_AFTER = "2m";
    public static final String DEFAULT_RECONCILE_INTERVAL = "60s";
    public static final String DEFAULT_RECONCILE_INITIAL_DELAY = "5s";
    public static final int DEFAULT_MAX_CERTIFICATES_READ = 10_000;

    @NotNull
    @DurationMin("1ms")
    private Duration reconcileAfter = Settings.duration(DEFAULT_RECONCILE_AFTER);
    @NotNull
    @DurationMin("1ms")
    private Duration reconcileInterval = Settings.duration(DEFAULT_RECONCILE_INTERVAL);
    @NotNull
    @DurationMin("0s")
    private Duration reconcileInitialDelay = Settings.duration(DEFAULT_RECONCILE_INITIAL_DELAY);
    @Min(1)
    private int maxCertificatesRead = DEFAULT_MAX_CERTIFICATES_READ;
    @NotNull
    @DurationMin("0s")
    private Duration testPauseAfterSign = Duration.ZERO;

    @Override
    public Duration getReconcileAfter() { return reconcileAfter; }
    public void setReconcileAfter(Duration reconcileAfter) { this.reconcileAfter = reconcileAfter; }
    @Override
    public Duration getReconcileInterval() { return reconcileInterval; }
    public void setReconcileInterval(Duration reconcileInterval) { this.reconcileInterval = reconcileInterval; }
    @Override
    public Duration getReconcileInitialDelay() { return reconcileInitialDelay; }
    public void setReconcileInitialDelay(Duration reconcileInitialDelay) { this.reconcileInitialDelay = reconcileInitialDelay; }
    @Override
    public int getMaxCertificatesRead() { return maxCertificatesRead; }
    public void setMaxCertificatesRead(int maxCertificatesRead) { this.maxCertificatesRead = maxCertificatesRead; }
    @Override
    public Duration getTestPauseAfterSign() { return testPauseAfterSign; }
    public void setTestPauseAfterSign(Duration testPauseAfterSign) { this.testPauseAfterSign = testPauseAfterSign; }
}
