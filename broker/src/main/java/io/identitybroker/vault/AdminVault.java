package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.JsonArray;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls made with an administrator's own Vault token: who the token is, and what Vault's policies
 * let it do on the broker's virtual paths. Nothing is retried or cached here; callers decide.
 */
@Singleton
public class AdminVault {
    private final VaultClients clients;
    private final VaultConfiguration properties;

    /**
     * The facts of an admin token the broker records as the actor.
     *
     * @param accessor    the token's accessor (safe to log: it cannot be used to authenticate)
     * @param displayName Vault's display name
     * @param entityId    the identity entity, if any
     */
    public record TokenIdentity(String accessor, String displayName, String entityId) {
    }

    public AdminVault(VaultClients clients, VaultConfiguration properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** Looks the token up; empty when Vault says the token is invalid. */
    public java.util.Optional<TokenIdentity> lookupSelf(String token) {
        try {
            JsonNode data = VaultJson.data(clients.withToken(token).logical().read("auth/token/lookup-self"));
            return java.util.Optional.of(new TokenIdentity(data.path("accessor").asText(""),
                    data.path("display_name").asText(""), data.path("entity_id").asText("")));
        } catch (VaultException | VaultRequestException e) {
            int status = VaultFailures.status(e);
            if (status == 403 || status == 400 || status == 401) {
                return java.util.Optional.empty();
            }
            throw VaultFailures.translate("token lookup", e, properties.getRetryAfter());
        }
    }

    /** {@code sys/capabilities-self} for several paths in one request. */
    public Map<String, Set<String>> capabilities(String token, List<String> paths) {
        JsonArray array = new JsonArray();
        paths.forEach(array::add);
        try {
            var response = clients.withToken(token).logical().write("sys/capabilities-self", Map.of("paths", array));
            JsonNode root = VaultJson.root(response);
            JsonNode data = root.has("data") && root.path("data").isObject() ? root.path("data") : root;
            Map<String, Set<String>> result = new HashMap<>();
            for (String path : paths) {
                Set<String> caps = new HashSet<>();
                data.path(path).forEach(c -> caps.add(c.asText()));
                if (paths.size() == 1 && caps.isEmpty()) {
                    data.path("capabilities").forEach(c -> caps.add(c.asText()));
                }
                result.put(path, caps);
            }
            return result;
        } catch (VaultException | VaultRequestException e) {
            if (VaultFailures.status(e) == 403) {
                return Map.of();
            }
            throw VaultFailures.translate("capability check", e, properties.getRetryAfter());
        }
    }
}
