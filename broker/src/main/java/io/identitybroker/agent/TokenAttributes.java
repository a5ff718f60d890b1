package io.identitybroker.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation and storage form of the attributes a token hands on to its agents: labels (a small
 * string map, stored as JSON) and OAuth2 scopes (RFC 6749 scope tokens, stored space-separated).
 */
public final class TokenAttributes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");
    private static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private TokenAttributes() {
    }

    public static String labelsJson(Map<String, String> labels) {
        Map<String, String> sorted = new TreeMap<>(labels == null ? Map.of() : labels);
        if (sorted.size() > 32) {
            throw invalid("At most 32 labels.");
        }
        sorted.forEach((k, v) -> {
            if (k == null || !LABEL_KEY.matcher(k).matches() || v == null || v.length() > 256
                    || v.chars().anyMatch(Character::isISOControl)) {
                throw invalid("Label keys are lowercase [a-z0-9._/-] up to 63 characters; values up to 256 printable characters.");
            }
        });
        try {
            return JSON.writeValueAsString(sorted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> labels(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored labels are not JSON", e);
        }
    }

    public static String scopes(List<String> scopes) {
        List<String> list = scopes == null ? List.of() : scopes;
        if (list.size() > 32 || list.stream().anyMatch(s -> s == null || !SCOPE.matcher(s).matches())) {
            throw invalid("scopes: at most 32 RFC 6749 scope tokens.");
        }
        return String.join(" ", list.stream().distinct().sorted().toList());
    }

    public static List<String> scopeList(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split(" "));
    }

    public static String agentName(String name) {
        if (name != null && !AGENT_NAME.matcher(name).matches()) {
            throw invalid("agent_name: 1-128 characters of [A-Za-z0-9._-], starting with a letter or digit.");
        }
        return name;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_ENROLLMENT_TOKEN_REQUEST, detail);
    }
}
