package io.identitybroker.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.jopenlibs.vault.response.VaultResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads Vault's JSON answers (the driver's own accessors flatten nested values to strings). */
public final class VaultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VaultJson() {
    }

    /** The {@code data} object of a successful response, or a missing node. */
    public static JsonNode data(VaultResponse response) {
        return root(response).path("data");
    }

    /**
     * The parsed body of a successful response. The driver returns some error responses (e.g. 403
     * or 404 on reads) instead of throwing, so every status is checked here.
     *
     * @throws VaultRequestException for any status of 400 and above
     */
    public static JsonNode root(VaultResponse response) {
        int status = response.getRestResponse() == null ? 200 : response.getRestResponse().getStatus();
        byte[] body = response.getRestResponse() == null ? null : response.getRestResponse().getBody();
        return root(status, body);
    }

    /** {@code body} as JSON, for a request sent without the driver. */
    static byte[] bytes(Map<String, ?> body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Vault request body is not JSON-serialisable", e);
        }
    }

    /** The same for a status and body read without the driver. */
    static JsonNode root(int status, byte[] body) {
        if (status >= 400) {
            throw new VaultRequestException(status, errors(body == null ? null : new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Vault answered with unparseable JSON", e);
        }
    }

    static List<String> errors(String message) {
        // The driver puts the response body after "Response body:"; Vault's errors array is in it.
        List<String> errors = new ArrayList<>();
        if (message == null) {
            return errors;
        }
        int at = message.indexOf('{');
        if (at >= 0) {
            try {
                MAPPER.readTree(message.substring(at)).path("errors").forEach(e -> errors.add(e.asText()));
            } catch (IOException ignored) {
                // not JSON: fall through to the raw message
            }
        }
        if (errors.isEmpty()) {
            errors.add(message.lines().findFirst().orElse(message));
        }
        return errors;
    }
}
