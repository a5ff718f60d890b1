package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jopenlibs.vault.VaultException;
import jakarta.inject.Singleton;

import java.util.Map;

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
    private final VaultClients clients;

    public BrokerVault(VaultSession session, VaultConfiguration properties, VaultMetrics metrics, VaultClients clients) {
        this.session = session;
        this.clients = clients;
        this.properties = properties;
        this.metrics = metrics;
    }

    public <T> T call(String operation, boolean idempotent, VaultCall<T> call) {
        return run(operation, idempotent, login -> call.apply(login.client()));
    }

    /**
     * POSTs {@code body} as JSON to {@code /v1/<path>} and returns the answer's {@code data}, under
     * the rules of {@link #call}. For the two hot POSTs, PKI sign (every enrollment) and transit
     * sign (every token): without the driver, Vault's answer is parsed once instead of three times
     * (the driver parses it twice with its own parser before the caller reads it).
     */
    public JsonNode write(String operation, boolean idempotent, String path, Map<String, ?> body) {
        return run(operation, idempotent, login -> clients.post(login.token(), path, body).path("data"));
    }

    private <T> T run(String operation, boolean idempotent, LoginCall<T> call) {
        VaultSession.Login login = session.login();
        boolean reloggedIn = false;
        boolean retried = false;
        while (true) {
            long start = System.nanoTime();
            try {
                T result = call.apply(login);
                metrics.record(operation, System.nanoTime() - start, true, 0);
                return result;
            } catch (VaultException | VaultRequestException e) {
                int status = VaultFailures.status(e);
                metrics.record(operation, System.nanoTime() - start, false, status);
                if (status == 403 && !reloggedIn) {
                    reloggedIn = true;
                    login = session.reloginAfterRejection(login);
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

    @FunctionalInterface
    private interface LoginCall<T> {
        T apply(VaultSession.Login login) throws VaultException;
    }
}
