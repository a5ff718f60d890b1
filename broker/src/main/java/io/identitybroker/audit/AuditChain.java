package io.identitybroker.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The canonical form of an event and the hash that links it to its predecessor. */
final class AuditChain {
    static final String GENESIS = "0".repeat(64);
    /** A private mapper: the canonical form must not change when the application's JSON settings do. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private AuditChain() {
    }

    static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details must be plain JSON values", e);
        }
    }

    static String hash(AuditEvent e) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("id", e.id());
        canonical.put("chain", e.chain());
        canonical.put("seq", e.seq());
        canonical.put("at", e.at().toString());
        canonical.put("tenant", e.tenant());
        canonical.put("type", e.type());
        canonical.put("actor", e.actor());
        canonical.put("subject", e.subject());
        canonical.put("outcome", e.outcome());
        canonical.put("correlation_id", e.correlationId());
        canonical.put("details", e.details());
        return sha256Hex(e.prevHash() + "\n" + canonicalJson(canonical));
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
