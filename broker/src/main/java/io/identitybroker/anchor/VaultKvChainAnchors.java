package io.identitybroker.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jopenlibs.vault.json.Json;
import io.identitybroker.audit.ChainAnchors;
import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultJson;
import io.identitybroker.vault.VaultRequestException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.UUID;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ChainAnchors} in Vault KV v2: {@code <mount>/data/<path>/<installation>/<chain>} holds
 * {@code seq}, {@code hash} and {@code anchored_at}, where {@code installation} is this database's
 * id ({@code broker_installation}, created on first use), so separate databases sharing one Vault
 * keep separate anchors. Writes use check-and-set on the version read, and never
 * lower the seq, so two replicas anchoring at once cannot move an anchor backwards.
 */
@Singleton
public class VaultKvChainAnchors implements ChainAnchors {
    private final BrokerVault vault;
    private final AnchorConfiguration properties;
    private final InstallationRepository installations;
    private final TransactionOperations<Connection> transactions;
    private volatile String installationId;

    public VaultKvChainAnchors(BrokerVault vault, AnchorConfiguration properties, InstallationRepository installations,
                               TransactionOperations<Connection> transactions) {
        this.vault = vault;
        this.properties = properties;
        this.installations = installations;
        this.transactions = transactions;
    }

    /** This database's installation id, created by the first broker that asks. */
    String installationId() {
        String id = installationId;
        if (id == null) {
            id = transactions.executeWrite(s -> {
                installations.insertIfAbsent(UUID.randomUUID().toString());
                return installations.installationId().orElseThrow();
            });
            installationId = id;
        }
        return id;
    }

    @Override
    public Optional<Anchor> latest(String chain) {
        return read(chain).map(Versioned::anchor);
    }

    /**
     * Anchors {@code seq, hash} unless the stored anchor is already at or beyond {@code seq}.
     *
     * @return whether it wrote
     */
    boolean advance(String chain, long seq, String hash, Instant at) {
        Optional<Versioned> current = read(chain);
        if (current.isPresent() && current.get().anchor().seq() >= seq) {
            return false;
        }
        int cas = current.map(Versioned::version).orElse(0);
        try {
            vault.call("audit anchor write", false, v -> VaultJson.data(v.logical().write(path("data", chain), Map.of(
                    "options", Json.object().add("cas", cas),
                    "data", Json.object().add("seq", seq).add("hash", hash).add("anchored_at", at.toString())))));
            return true;
        } catch (VaultRequestException e) {
            if (e.status() == 400) {
                return false; // check-and-set lost: another replica anchored meanwhile; the next round compares again
            }
            throw e;
        }
    }

    private Optional<Versioned> read(String chain) {
        try {
            JsonNode data = vault.call("audit anchor read", true, v -> VaultJson.data(v.logical().read(path("data", chain))));
            JsonNode fields = data.path("data");
            if (!fields.hasNonNull("seq")) {
                return Optional.empty();
            }
            return Optional.of(new Versioned(new Anchor(fields.path("seq").asLong(), fields.path("hash").asText(),
                    Instant.parse(fields.path("anchored_at").asText())), data.path("metadata").path("version").asInt()));
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private String path(String kind, String chain) {
        return properties.getKvMount() + "/" + kind + "/" + properties.getKvPath() + "/" + installationId() + "/" + chain;
    }

    private record Versioned(Anchor anchor, int version) {
    }
}
