package io.identitybroker.federation;

import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultKvFolder;
import jakarta.inject.Singleton;

import java.util.Map;

/** Foreign trust domain declarations in Vault KV v2: {@code <mount>/data/<path>/<trust domain>}. */
@Singleton
public class VaultKvTrustDomainDeclarations implements TrustDomainDeclarationSource {
    private final VaultKvFolder folder;
    private final FederationConfiguration properties;

    public VaultKvTrustDomainDeclarations(BrokerVault vault, FederationConfiguration properties) {
        this.folder = new VaultKvFolder(vault, "trust domain declaration");
        this.properties = properties;
    }

    @Override
    public Map<String, Map<String, String>> all() {
        return folder.all(properties.getKvMount(), properties.getKvPath());
    }
}
