package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code vault}: DOWN when Vault is unreachable, sealed or uninitialised, or when the broker's own
 * token is not valid (it cannot log in, or {@code auth/token/lookup-self} is refused), since every
 * issuance then fails. Part of {@code /health} and {@code /health/readiness}.
 */
@Singleton
public class VaultHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final VaultClients clients;
    private final VaultSession session;

    public VaultHealthIndicator(VaultClients clients, VaultSession session) {
        this.clients = clients;
        this.session = session;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            HealthResponse health = clients.withToken(null).debug().health();
            boolean up = Boolean.TRUE.equals(health.getInitialized()) && !Boolean.TRUE.equals(health.getSealed());
            details.put("initialized", health.getInitialized());
            details.put("sealed", health.getSealed());
            if (up) {
                up = tokenValid();
                details.put("token", up ? "valid" : "invalid");
            }
            healthStatus = up ? HealthStatus.UP : HealthStatus.DOWN;
        } catch (VaultException | RuntimeException e) {
            details.put("error", "unreachable");
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    private boolean tokenValid() {
        try {
            session.client().auth().lookupSelf();
            return true;
        } catch (VaultException | RuntimeException e) {
            return false;
        }
    }

    @Override
    protected String getName() {
        return "vault";
    }
}
