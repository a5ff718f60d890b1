package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import jakarta.inject.Singleton;

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
    private long arrivals;
    private long answeredUpTo;
    private boolean lastAnswerUp;
    private long lastUpProbeStart;
    private boolean seenUp;
    private boolean probing;

    public VaultLiveness(VaultClients clients, VaultConfiguration properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** Returns when a probe started at most {@code maxAge} before this call says Vault is up. */
    public void confirm(java.time.Duration maxAge) {
        long ticket;
        long covers;
        long started;
        synchronized (this) {
            if (seenUp && !maxAge.isZero() && System.nanoTime() - lastUpProbeStart <= maxAge.toNanos()) {
                return;
            }
            ticket = ++arrivals;
            while (true) {
                if (answeredUpTo >= ticket) {
                    if (lastAnswerUp) {
                        return;
                    }
                    throw unavailable(null);
                }
                if (!probing) {
                    probing = true;
                    covers = arrivals;
                    started = System.nanoTime();
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw unavailable(e);
                }
            }
        }
        boolean up = false;
        try {
            up = probe();
        } finally {
            synchronized (this) {
                answeredUpTo = covers;
                lastAnswerUp = up;
                seenUp = up;
                lastUpProbeStart = started;
                probing = false;
                notifyAll();
            }
        }
        if (!up) {
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
