package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import jakarta.inject.Singleton;

/**
 * Answers "can Vault answer right now?" for decisions taken from cache: before the broker reuses a
 * cached authorization, Vault must have reported itself initialised and unsealed by a
 * {@code sys/health} call that <em>started after the request arrived</em>. A sealed, unreachable
 * or failing Vault therefore denies the very next cached decision (503), never one later.
 *
 * <p>Concurrent callers share probes: a caller waits for the next probe to start after its arrival
 * and for that probe's answer, so under load there is one probe at a time (one loopback round
 * trip), however many requests it serves. Failure: {@link VaultUnavailableException}.
 */
@Singleton
public class VaultLiveness {
    private final VaultClients clients;
    private final VaultConfiguration properties;
    private long arrivals;
    private long answeredUpTo;
    private boolean lastAnswerUp;
    private boolean probing;

    public VaultLiveness(VaultClients clients, VaultConfiguration properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** Returns when a probe started after this call says Vault is up. */
    public void confirm() {
        long ticket;
        long covers;
        synchronized (this) {
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
