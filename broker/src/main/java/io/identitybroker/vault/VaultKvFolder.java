package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One folder of declarations in Vault KV v2 ({@code <mount>/data/<folder>/<key>}), read with the
 * broker's token: every entry's fields as strings, or one entry's. A missing folder is empty and a
 * deleted entry is absent; any other Vault failure is thrown.
 */
public final class VaultKvFolder {
    private final BrokerVault vault;
    private final String what;

    public VaultKvFolder(BrokerVault vault, String what) {
        this.vault = vault;
        this.what = what;
    }

    public Map<String, Map<String, String>> all(String mount, String folder) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        JsonNode keys;
        try {
            keys = vault.call(what + " list", true, v -> VaultJson.data(v.logical().list(mount + "/metadata/" + folder)))
                    .path("keys");
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return all; // no declarations yet
            }
            throw e;
        }
        for (JsonNode key : keys) {
            String name = key.asText();
            if (!name.endsWith("/")) {
                find(mount, folder, name).ifPresent(fields -> all.put(name, fields));
            }
        }
        return all;
    }

    public Optional<Map<String, String>> find(String mount, String folder, String name) {
        try {
            JsonNode data = vault.call(what + " read", true, v -> VaultJson.data(
                    v.logical().read(mount + "/data/" + folder + "/" + name)));
            JsonNode fields = data.path("data");
            if (!fields.isObject()) {
                return Optional.empty(); // deleted version
            }
            Map<String, String> out = new LinkedHashMap<>();
            fields.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().isNull() ? null
                    : f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
            return Optional.of(out);
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
