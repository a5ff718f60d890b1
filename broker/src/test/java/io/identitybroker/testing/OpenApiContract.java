package io.identitybroker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The HTTP contract of {@code docs/openapi.yaml}: {@link BrokerApi} (and so {@link MtlsClient})
 * and {@link RawHttpsConnection} hand every response they receive to {@link #check}; each broker asserts at its close that none
 * broke the document ({@link #assertValid()}), so the suite's responses are validated, not a
 * sample. A response is checked for a documented path and method, a documented status (exact,
 * {@code 4XX}/{@code 5XX} or {@code default}), a documented media type, and a JSON body against its
 * schema (the event schemas of {@code docs/events/} included). Requests to no documented path that
 * get 404 or 405 (probes of unknown or malformed routes) are the one thing not checked.
 */
public final class OpenApiContract {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VIOLATIONS = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static final AtomicLong CHECKED = new AtomicLong();
    private static volatile Document document;

    private record Template(String path, Pattern pattern, int literalLength) {
    }

    private record Document(JsonNode root, List<Template> templates, JsonSchemaFactory factory) {
    }

    private OpenApiContract() {
    }

    public static Path file() {
        return TestVault.repoRoot().resolve("docs/openapi.yaml");
    }

    /** Number of responses checked in this JVM. */
    public static long checked() {
        return CHECKED.get();
    }

    /** Records what is wrong with one response (nothing when it conforms). */
    public static void check(String method, String pathAndQuery, int status, HttpHeaders headers, String body) {
        VIOLATIONS.addAll(violations(method, pathAndQuery, status,
                headers.firstValue("Content-Type").orElse(null), body));
    }

    /** The same, for clients that hold the Content-Type as a string ({@link RawHttpsConnection}). */
    public static void check(String method, String pathAndQuery, int status, String contentType, String body) {
        VIOLATIONS.addAll(violations(method, pathAndQuery, status, contentType, body));
    }

    /** What is wrong with one response, empty when it conforms to the document. */
    public static List<String> violations(String method, String pathAndQuery, int status, String contentType, String body) {
        Document doc = document();
        CHECKED.incrementAndGet();
        String path = pathAndQuery.split("[?#]", 2)[0];
        String where = method + " " + path + " -> " + status;
        Optional<Template> template = doc.templates().stream().filter(t -> t.pattern().matcher(path).matches())
                .max(Comparator.comparingInt(Template::literalLength));
        if (template.isEmpty()) {
            return status == 404 || status == 405 ? List.of() : List.of(where + ": path not in docs/openapi.yaml");
        }
        JsonNode operation = doc.root().path("paths").path(template.get().path()).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return status == 405 || status == 404 ? List.of() : List.of(where + ": method not documented for " + template.get().path());
        }
        String statusKey = String.valueOf(status);
        JsonNode responses = operation.path("responses");
        String key = responses.has(statusKey) ? statusKey : responses.has(statusKey.charAt(0) + "XX")
                ? statusKey.charAt(0) + "XX" : responses.has("default") ? "default" : null;
        if (key == null) {
            return List.of(where + ": status not documented for " + template.get().path());
        }
        JsonNode response = resolve(doc.root(), responses.path(key));
        if (body == null || body.isEmpty()) {
            return List.of();
        }
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode content = response.path("content");
        if (!content.has(mediaType)) {
            return List.of(where + ": content type '" + mediaType + "' not documented (has " + fieldNames(content) + ")");
        }
        if (!mediaType.endsWith("json")) {
            return List.of();
        }
        JsonNode schemaNode = content.path(mediaType).path("schema");
        if (schemaNode.isMissingNode()) {
            return List.of();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            return List.of(where + ": body is not JSON: " + body);
        }
        String pointer = template.get().path() + " " + method + " " + key + " " + mediaType;
        JsonSchema schema = SCHEMAS.computeIfAbsent(pointer, p -> schema(doc, schemaNode));
        return schema.validate(parsed).stream().map(m -> where + ": " + m.getMessage() + " in " + abbreviate(body)).toList();
    }

    /** Fails with every violation recorded since the last call (and forgets them). */
    public static void assertValid() {
        List<String> found;
        synchronized (VIOLATIONS) {
            found = List.copyOf(VIOLATIONS);
            VIOLATIONS.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Responses that break docs/openapi.yaml:\n" + String.join("\n", found));
        }
    }

    private static JsonSchema schema(Document doc, JsonNode schemaNode) {
        // The schema as the root of a document that also holds the components and sits at the
        // file's own URI, so '#/components/...' and 'events/...' resolve as they do in the file.
        ObjectNode root = schemaNode.deepCopy();
        root.put("$id", file().toUri().toString());
        root.set("components", doc.root().path("components"));
        return doc.factory().getSchema(root, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        while (node.has("$ref") && node.path("$ref").asText().startsWith("#/")) {
            node = root.at(node.path("$ref").asText().substring(1));
        }
        return node;
    }

    private static synchronized Document document() {
        if (document == null) {
            try {
                JsonNode root = YAML.readTree(file().toFile());
                List<Template> templates = new ArrayList<>();
                root.path("paths").fieldNames().forEachRemaining(p -> templates.add(new Template(p,
                        Pattern.compile(Pattern.quote(p).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")),
                        p.replaceAll("\\{[^}/]+}", "").length())));
                String dir = EventContracts.directory().toUri().toString();
                JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                        b -> b.schemaMappers(m -> m.mapPrefix(EventContracts.BASE, dir.endsWith("/") ? dir : dir + "/")));
                document = new Document(root, List.copyOf(templates), factory);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + file(), e);
            }
        }
        return document;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String abbreviate(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }
}
