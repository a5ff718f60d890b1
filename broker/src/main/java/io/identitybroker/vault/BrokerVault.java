package io.identitybroker.vault;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import jakarta.inject.Singleton;

/**
 * Runs Vault calls with the broker's own token. A 403 is answered once by logging in again and
 * retrying (the token may have expired); unavailability is retried once only for idempotent calls,
 * because a retried sign could mint a second certificate.
 */
@Singleton
public class BrokerVault {
    private final VaultSession session;
    private final VaultConfiguration properties;
    private final VaultMetrics metrics;

    public BrokerVault(VaultSession session, VaultConfiguration properties, VaultMetrics metrics) {
        this.session = session;
        this.properties = properties;
        this.metrics = metrics;
    }

    public <T> T call(String operation, boolean idempotent, VaultCall<T> call) {
        Vault vault = session.client();
        boolean reloggedIn = false;
        boolean retried = false;
        while (true) {
            long start = System.nanoTime();
            try {
                T result = call.apply(vault);
                metrics.record(operation, System.nanoTime() - start, true, 0);
                return result;
            } catch (VaultException | VaultRequestException e) {
                int status = VaultFailures.status(e);
                metrics.record(operation, System.nanoTime() - start, false, status);
                if (status == 403 && !reloggedIn) {
                    reloggedIn = true;
                    vault = session.reloginAfterRejection(vault);
                    continue;
                }
                if (idempotent && !retried && VaultFailures.isUnavailable(status)) {
                    retried = true;
                    continue;
                }
                throw VaultFailures.translate(operation, e, properties.getRetryAfter());
            }
        }
    }
}
