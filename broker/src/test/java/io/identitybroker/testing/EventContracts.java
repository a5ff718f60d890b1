package io.identitybroker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The audit event contracts of {@code docs/events/}: every event a test broker wrote is checked
 * against the JSON Schema of its type when the broker closes ({@link BrokerInstance#close()}), so
 * the whole suite's events are validated, not a sample.
 */
public final class EventContracts {
    static final String BASE = "https://identity-broker.io/schemas/events/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static JsonSchemaFactory factory;

    private EventContracts() {
    }

    public static Path directory() {
        return TestVault.repoRoot().resolve("docs/events");
    }

    /** The event types that have a schema. */
    public static Set<String> types() {
        try (Stream<Path> files = Files.list(directory())) {
            Set<String> types = new TreeSet<>();
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json") && !n.startsWith("envelope."))
                    .forEach(n -> types.add(n.substring(0, n.length() - ".schema.json".length())));
            return types;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Event types validated so far in this JVM. */
    public static Set<String> seen() {
        return Set.copyOf(SEEN);
    }

    /** Every event in the broker's database, in the form the audit API and the stream carry it. */
    public static List<JsonNode> events(BrokerInstance broker) {
        List<JsonNode> out = new ArrayList<>();
        for (Map<String, Object> row : broker.query("SELECT * FROM audit_events ORDER BY chain, seq")) {
            ObjectNode e = JSON.createObjectNode();
            e.put("id", (String) row.get("id"));
            e.put("seq", ((Number) row.get("seq")).longValue());
            e.put("at", toInstant(row.get("at")).toString());
            e.put("tenant", (String) row.get("tenant"));
            e.put("type", (String) row.get("type"));
            e.put("actor", (String) row.get("actor"));
            e.put("subject", (String) row.get("subject"));
            e.put("outcome", (String) row.get("outcome"));
            e.put("correlation_id", (String) row.get("correlation_id"));
            try {
                e.set("details", JSON.readTree((String) row.get("details")));
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            e.put("prev_hash", (String) row.get("prev_hash"));
            e.put("hash", (String) row.get("hash"));
            out.add(e);
        }
        return out;
    }

    /** What is wrong with {@code event}, empty when it conforms to its type's schema. */
    public static List<String> violations(JsonNode event) {
        String type = event.path("type").asText();
        if (!types().contains(type)) {
            return List.of("no schema for event type '" + type + "' in docs/events/");
        }
        Set<ValidationMessage> errors = schema(type).validate(event);
        if (errors.isEmpty()) {
            SEEN.add(type);
        }
        return errors.stream().map(m -> type + ": " + m.getMessage()).toList();
    }

    /** Fails when any event the broker wrote does not conform. */
    public static void assertValid(BrokerInstance broker) {
        List<String> problems = new ArrayList<>();
        for (JsonNode event : events(broker)) {
            for (String v : violations(event)) {
                problems.add(v + " in " + event);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Audit events that break their contract (docs/events/):\n" + String.join("\n", problems));
        }
    }

    private static synchronized JsonSchema schema(String type) {
        if (factory == null) {
            String dir = directory().toUri().toString();
            factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    b -> b.schemaMappers(m -> m.mapPrefix(BASE, dir.endsWith("/") ? dir : dir + "/")));
        }
        return SCHEMAS.computeIfAbsent(type, t -> factory.getSchema(SchemaLocation.of(BASE + t + ".schema.json"),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build()));
    }

    private static java.time.Instant toInstant(Object value) {
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.Instant i) {
            return i;
        }
        return java.time.OffsetDateTime.parse(value.toString()).toInstant();
    }
}
