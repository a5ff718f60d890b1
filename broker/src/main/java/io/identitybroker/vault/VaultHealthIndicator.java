package io.identitybroker.vault;

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
    private final VaultProbe probe;

    public VaultHealthIndicator(VaultProbe probe) {
        this.probe = probe;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        VaultProbe.Status status = probe.check();
        Map<String, Object> details = new LinkedHashMap<>();
        if (status.reachable()) {
            details.put("initialized", status.initialized());
            details.put("sealed", status.sealed());
            details.put("token", status.tokenValid() ? "valid" : "invalid");
        } else {
            details.put("error", "unreachable");
        }
        healthStatus = status.up() ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "vault";
    }
}
