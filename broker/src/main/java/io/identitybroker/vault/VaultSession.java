package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * The broker's own Vault login. Logs in lazily (so the broker starts while Vault is down), renews
 * the token at two thirds of its TTL, and logs in again when renewal fails or a call finds the
 * token expired. Login and renewal never loop: each failure is reported to the caller.
 */
@Singleton
public class VaultSession {
    private static final Logger LOG = LoggerFactory.getLogger(VaultSession.class);

    private final VaultClients clients;
    private final VaultConfiguration properties;
    private final Clock clock;
    /** The framework's scheduler: a renewal is one short call, like every other scheduled job. */
    private final TaskScheduler renewer;
    private volatile Login current;
    private ScheduledFuture<?> renewal;
    /** Set at shutdown: no renewal is scheduled any more. */
    private boolean closed;
    /** The unwrapped secret id: a wrapping token works once, so later logins reuse what it held. */
    private String unwrappedSecretId;

    /**
     * A live login.
     *
     * @param client    a client bound to the token
     * @param token     the token itself, for the calls made without the driver ({@link VaultClients#post})
     * @param expiresAt when the token stops working; {@link Instant#MAX} for tokens without TTL
     * @param ttl       the TTL granted at login or last renewal
     */
    record Login(Vault client, String token, Instant expiresAt, Duration ttl, boolean renewable) {
        @Override
        public String toString() {
            return "Login[expiresAt=" + expiresAt + "]"; // never the token
        }
    }

    public VaultSession(VaultClients clients, VaultConfiguration properties, Clock clock,
                        @Named(TaskExecutors.SCHEDULED) TaskScheduler renewer) {
        this.clients = clients;
        this.renewer = renewer;
        this.properties = properties;
        this.clock = clock;
    }

    /** A client bound to the broker's current token, logging in first when needed. */
    public Vault client() {
        return login().client();
    }

    /** The current login, logging in first when needed. */
    Login login() {
        Login login = current;
        if (login == null || !clock.instant().isBefore(login.expiresAt())) {
            login = loginReplacing(login);
        }
        return login;
    }

    /** Called when Vault rejected {@code stale}'s token: logs in again unless another thread already did. */
    Login reloginAfterRejection(Login stale) {
        Login login = current;
        if (login != null && login.client() != stale.client()) {
            return login;
        }
        return loginReplacing(login);
    }

    private synchronized Login loginReplacing(Login stale) {
        if (current != stale && current != null && clock.instant().isBefore(current.expiresAt())) {
            return current;
        }
        Login fresh = properties.usesAppRole() ? loginWithAppRole() : loginWithToken();
        current = fresh;
        scheduleRenewal(fresh);
        return fresh;
    }

    private Login loginWithAppRole() {
        String secretId;
        try {
            secretId = Files.readString(Path.of(properties.getApproleSecretIdFile())).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the AppRole secret id file", e);
        }
        if (properties.isApproleSecretIdWrapped()) {
            secretId = unwrapSecretId(secretId);
        }
        try {
            var response = clients.withToken(null).logical().write(
                    "auth/" + properties.getApproleMount() + "/login",
                    Map.of("role_id", properties.getApproleRoleId(), "secret_id", secretId));
            JsonNode auth = VaultJson.root(response).path("auth");
            String token = auth.path("client_token").asText(null);
            if (token == null) {
                throw new IllegalStateException("AppRole login returned no token");
            }
            Duration ttl = Duration.ofSeconds(auth.path("lease_duration").asLong(0));
            LOG.info("Logged in to Vault with AppRole; token TTL {}", ttl);
            return login(token, ttl, auth.path("renewable").asBoolean(false));
        } catch (VaultException | VaultRequestException e) {
            throw VaultFailures.translate("AppRole login", e, properties.getRetryAfter());
        }
    }

    private String unwrapSecretId(String wrappingToken) {
        if (unwrappedSecretId == null) {
            try {
                JsonNode data = VaultJson.data(clients.withToken(wrappingToken).logical().write("sys/wrapping/unwrap", Map.of()));
                unwrappedSecretId = data.path("secret_id").asText(null);
                if (unwrappedSecretId == null) {
                    throw new IllegalStateException("The wrapped response holds no secret_id");
                }
                LOG.info("Unwrapped the AppRole secret id");
            } catch (VaultException | VaultRequestException e) {
                // A wrapping token that was already used means someone else saw the secret id: say so.
                throw new IllegalStateException("Cannot unwrap the AppRole secret id (expired, or already unwrapped by someone else)", e);
            }
        }
        return unwrappedSecretId;
    }

    private Login loginWithToken() {
        String token = properties.getToken();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("No Vault credentials: set VAULT_TOKEN or the AppRole settings");
        }
        try {
            JsonNode data = VaultJson.data(clients.withToken(token).logical().read("auth/token/lookup-self"));
            Duration ttl = Duration.ofSeconds(data.path("ttl").asLong(0));
            return login(token, ttl, data.path("renewable").asBoolean(false));
        } catch (VaultException | VaultRequestException e) {
            throw VaultFailures.translate("token lookup", e, properties.getRetryAfter());
        }
    }

    private Login login(String token, Duration ttl, boolean renewable) {
        Instant expiresAt = ttl.isZero() ? Instant.MAX : clock.instant().plus(ttl);
        return new Login(clients.withToken(token), token, expiresAt, ttl, renewable);
    }

    private void scheduleRenewal(Login login) {
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (login.ttl().isZero() || closed) {
            return;
        }
        long delayMillis = Math.max(500, login.ttl().toMillis() * 2 / 3);
        // Not in the context of the request that logged in: the renewal outlives it.
        renewal = renewer.schedule(Duration.ofMillis(delayMillis), PropagatedContext.empty().wrap(() -> renewOrRelogin(login)));
    }

    private void renewOrRelogin(Login login) {
        try {
            if (login.renewable()) {
                var response = login.client().logical().write("auth/token/renew-self", Map.of());
                JsonNode auth = VaultJson.root(response).path("auth");
                Duration granted = Duration.ofSeconds(auth.path("lease_duration").asLong(0));
                // A renewal capped by max TTL grants less than asked; near the cap a fresh login is better.
                if (!granted.isZero() && granted.compareTo(login.ttl().dividedBy(2)) >= 0) {
                    LOG.debug("Renewed the broker's Vault token for {}", granted);
                    Login renewed = new Login(login.client(), login.token(), clock.instant().plus(granted), granted, true);
                    synchronized (this) {
                        if (current == login) {
                            current = renewed;
                            scheduleRenewal(renewed);
                            return;
                        }
                    }
                    return;
                }
            }
            loginReplacing(login);
        } catch (RuntimeException | VaultException e) {
            LOG.warn("Vault token renewal failed ({}); logging in again", e.getClass().getSimpleName());
            try {
                loginReplacing(login);
            } catch (RuntimeException again) {
                LOG.warn("Vault login failed: {}; the next call will try again", again.getMessage());
                synchronized (this) {
                    if (current == login) {
                        current = null;
                    }
                }
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (renewal != null) {
            renewal.cancel(false);
        }
    }
}
