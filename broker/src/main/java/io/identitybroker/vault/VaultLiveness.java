package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.identitybroker.concurrent.SharedRounds;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Answers "can Vault answer right now?" for decisions taken from cache: before the broker reuses a
 * cached authorization, Vault must have reported itself initialised and unsealed by a
 * {@code sys/health} call that started at most {@code maxAge} before the caller asked (with a
 * {@code maxAge} of zero: after it asked). A sealed, unreachable or failing Vault therefore denies
 * every cached decision (503) from {@code maxAge} after it stopped answering at the latest.
 *
 * <p>Concurrent callers share probes: a caller without a fresh enough answer waits for the next
 * probe to start after its arrival and for that probe's answer, so there is one probe at a time,
 * and under load about one per {@code maxAge} rather than one per request. A probe that found
 * Vault down is never reused: callers wait for a new one. Failure: {@link VaultUnavailableException}.
 */
@Singleton
public class VaultLiveness {
    private final VaultClients clients;
    private final VaultConfiguration properties;
    private final SharedRounds<Probe> probes = new SharedRounds<>();
    private volatile Probe last;

    /** What one {@code sys/health} call found, and when it started. */
    private record Probe(boolean up, long startedNanos) {
    }

    public VaultLiveness(VaultClients clients, VaultConfiguration properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** Returns when a probe started at most {@code maxAge} before this call says Vault is up. */
    public void confirm(Duration maxAge) {
        Probe recent = last;
        if (recent != null && recent.up() && !maxAge.isZero() && System.nanoTime() - recent.startedNanos() <= maxAge.toNanos()) {
            return;
        }
        Probe answer;
        try {
            answer = probes.await(() -> {
                long started = System.nanoTime();
                Probe probe = new Probe(probe(), started);
                last = probe;
                return probe;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
        if (!answer.up()) {
            throw unavailable(null);
        }
    }

    /** Initialised and unsealed: what the broker needs from Vault to decide anything. */
    private boolean probe() {
        try {
            HealthResponse health = clients.withToken(null).debug().health();
            return Boolean.TRUE.equals(health.getInitialized()) && !Boolean.TRUE.equals(health.getSealed());
        } catch (VaultException | RuntimeException e) {
            return false;
        }
    }

    private VaultUnavailableException unavailable(Throwable cause) {
        return new VaultUnavailableException("Vault cannot answer authorization questions now; try again later.",
                properties.getRetryAfter(), cause);
    }
}
