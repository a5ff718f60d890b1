package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.tenant.TenantDeclarationSource;
import io.identitybroker.tenant.TenantSyncProperties;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Tenant declarations in Vault KV v2: {@code <mount>/data/<path>/<tenant>}, read with the broker's token. */
@Singleton
public class VaultKvTenantDeclarations implements TenantDeclarationSource {
    private final BrokerVault vault;
    private final TenantSyncProperties properties;

    public VaultKvTenantDeclarations(BrokerVault vault, TenantSyncProperties properties) {
        this.vault = vault;
        this.properties = properties;
    }

    @Override
    public Map<String, Map<String, String>> all() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        JsonNode keys;
        try {
            keys = vault.call("tenant declaration list", true, v -> VaultJson.data(
                    v.logical().list(properties.getKvMount() + "/metadata/" + properties.getKvPath()))).path("keys");
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return all; // no declarations yet
            }
            throw e;
        }
        for (JsonNode key : keys) {
            String id = key.asText();
            if (!id.endsWith("/")) {
                find(id).ifPresent(fields -> all.put(id, fields));
            }
        }
        return all;
    }

    @Override
    public Optional<Map<String, String>> find(String tenantId) {
        try {
            JsonNode data = vault.call("tenant declaration read", true, v -> VaultJson.data(
                    v.logical().read(properties.getKvMount() + "/data/" + properties.getKvPath() + "/" + tenantId)));
            JsonNode fields = data.path("data");
            if (!fields.isObject()) {
                return Optional.empty(); // deleted version
            }
            Map<String, String> out = new LinkedHashMap<>();
            fields.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
            return Optional.of(out);
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
