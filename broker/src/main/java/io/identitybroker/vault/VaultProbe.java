package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Whether Vault can serve the broker: reachable, initialised, unsealed, and the broker's own token
 * valid ({@code auth/token/lookup-self}, logging in first when needed). Used by the {@code vault}
 * health indicator on each probe, and every {@code broker.metrics.vault-probe-interval} (15 s) for
 * the gauges {@code broker.vault.up} and {@code broker.vault.sealed} (1/0), so an alert does not
 * depend on anyone calling {@code /health}. A check never throws.
 */
@Singleton
public class VaultProbe {
    /** The outcome of one check; {@code sealed} and {@code initialized} are null when Vault did not answer. */
    public record Status(boolean reachable, @Nullable Boolean initialized, @Nullable Boolean sealed, boolean tokenValid) {
        public boolean up() {
            return reachable && Boolean.TRUE.equals(initialized) && !Boolean.TRUE.equals(sealed) && tokenValid;
        }
    }

    private final VaultClients clients;
    private final VaultSession session;
    private volatile Status last = new Status(false, null, null, false);
    private volatile boolean checked;

    public VaultProbe(VaultClients clients, VaultSession session, MeterRegistry registry) {
        this.clients = clients;
        this.session = session;
        Gauge.builder("broker.vault.up", this, p -> p.checked ? (p.last.up() ? 1 : 0) : Double.NaN)
                .description("1 when Vault was reachable, unsealed and accepted the broker's token at the last check").register(registry);
        Gauge.builder("broker.vault.sealed", this, p -> p.checked && p.last.reachable() ? (Boolean.TRUE.equals(p.last.sealed()) ? 1 : 0) : Double.NaN)
                .description("1 when Vault reported itself sealed at the last check (NaN when unreachable)").register(registry);
    }

    public Status check() {
        Status status;
        try {
            HealthResponse health = clients.withToken(null).debug().health();
            boolean usable = Boolean.TRUE.equals(health.getInitialized()) && !Boolean.TRUE.equals(health.getSealed());
            status = new Status(true, health.getInitialized(), health.getSealed(), usable && tokenValid());
        } catch (VaultException | RuntimeException e) {
            status = new Status(false, null, null, false);
        }
        last = status;
        checked = true;
        return status;
    }

    @Scheduled(fixedDelay = "${" + VaultConfigurationProperties.PROBE_INTERVAL + ":" + VaultConfigurationProperties.DEFAULT_PROBE_INTERVAL + "}",
            initialDelay = "5s")
    public void checkPeriodically() {
        check();
    }

    private boolean tokenValid() {
        try {
            session.client().auth().lookupSelf();
            return true;
        } catch (VaultException | RuntimeException e) {
            return false;
        }
    }
}
