package io.identitybroker.tenant;

import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultKvFolder;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/** Tenant declarations in Vault KV v2: {@code <mount>/data/<path>/<tenant>}, read with the broker's token. */
@Singleton
public class VaultKvTenantDeclarations implements TenantDeclarationSource {
    private final VaultKvFolder folder;
    private final TenantSyncConfiguration properties;

    public VaultKvTenantDeclarations(BrokerVault vault, TenantSyncConfiguration properties) {
        this.folder = new VaultKvFolder(vault, "tenant declaration");
        this.properties = properties;
    }

    @Override
    public Map<String, Map<String, String>> all() {
        return folder.all(properties.getKvMount(), properties.getKvPath());
    }

    @Override
    public Optional<Map<String, String>> find(String tenantId) {
        return folder.find(properties.getKvMount(), properties.getKvPath(), tenantId);
    }
}
