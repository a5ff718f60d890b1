package io.identitybroker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reports Vault DOWN when it is unreachable, sealed or uninitialised. */
@Singleton
public class VaultHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final VaultClients clients;

    public VaultHealthIndicator(VaultClients clients) {
        this.clients = clients;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            HealthResponse health = clients.withToken(null).debug().health();
            boolean up = Boolean.TRUE.equals(health.getInitialized()) && !Boolean.TRUE.equals(health.getSealed());
            details.put("initialized", health.getInitialized());
            details.put("sealed", health.getSealed());
            healthStatus = up ? HealthStatus.UP : HealthStatus.DOWN;
        } catch (VaultException | RuntimeException e) {
            details.put("error", "unreachable");
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "vault";
    }
}
