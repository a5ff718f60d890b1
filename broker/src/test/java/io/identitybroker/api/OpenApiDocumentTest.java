package io.identitybroker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.OpenApiContract;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/openapi.yaml against the running broker: it is what {@code GET /openapi.yaml} serves, it
 * names every route the router has, and the response check that every suite client runs
 * ({@link OpenApiContract}) does reject a response that drifts from it.
 */
class OpenApiDocumentTest extends BrokerTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theBrokerServesTheDocumentedFileAnonymously() throws Exception {
        BrokerApi.Response r = api.get("/openapi.yaml", null);
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("application/yaml"), r.header("Content-Type"));
        assertEquals(Files.readString(OpenApiContract.file()), r.raw());
        assertEquals("3.1.0", YAML.readTree(r.raw()).path("openapi").asText());
    }

    @Test
    void everyRouteOfTheRouterIsDocumentedWithItsMethod() throws Exception {
        JsonNode paths = YAML.readTree(OpenApiContract.file().toFile()).path("paths");
        Set<String> documented = new TreeSet<>();
        paths.fieldNames().forEachRemaining(p -> paths.path(p).fieldNames().forEachRemaining(m -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(m)) {
                documented.add(m.toUpperCase(Locale.ROOT) + " " + normalise(p));
            }
        }));
        Set<String> routed = new TreeSet<>();
        broker.context().getBean(Router.class).uriRoutes()
                .filter(r -> !r.getHttpMethod().name().equals("OPTIONS") && !r.getHttpMethod().name().equals("HEAD"))
                .forEach(r -> routed.add(r.getHttpMethod().name() + " " + normalise(r.getUriMatchTemplate().toPathString())));
        Set<String> missing = new TreeSet<>(routed);
        missing.removeAll(documented);
        missing.removeIf(r -> r.contains(" /health/{}")); // Micronaut's generic selector; liveness and readiness are documented
        assertTrue(missing.isEmpty(), "routes missing from docs/openapi.yaml: " + missing);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(routed);
        stale.removeIf(r -> r.contains(" /health/")); // served by the /health/{selector} route
        assertTrue(stale.isEmpty(), "documented routes the broker does not have: " + stale);
    }

    @Test
    void aResponseThatDriftsFromTheDocumentIsCaught() {
        String agents = "/api/v1/tenants/acme/agents";
        assertTrue(OpenApiContract.violations("GET", agents, 200, "application/json",
                "{\"agents\": [], \"next_page_token\": null}").isEmpty());
        assertFalse(OpenApiContract.violations("GET", agents, 200, "application/json", "{\"agents\": []}").isEmpty(),
                "a missing required field");
        assertFalse(OpenApiContract.violations("GET", agents, 400, "application/json", "{\"error\": \"x\"}").isEmpty(),
                "an undocumented media type");
        assertFalse(OpenApiContract.violations("GET", agents, 400, "application/problem+json",
                "{\"type\": \"about:blank\", \"title\": \"x\", \"status\": 400}").isEmpty(), "a problem type outside the namespace");
        assertFalse(OpenApiContract.violations("PUT", agents, 200, "application/json", "{}").isEmpty(), "an undocumented method");
        assertFalse(OpenApiContract.violations("GET", "/api/v1/tenants/acme/audit-events", 200, "application/json",
                "{\"events\": [{\"id\": \"x\"}], \"next_after_seq\": null}").isEmpty(), "an event that breaks docs/events/");
        assertTrue(OpenApiContract.violations("GET", "/no/such/route", 404, "application/problem+json", "{}").isEmpty(),
                "unknown routes are not the document's business");
    }

    private static String normalise(String template) {
        String p = template.replaceAll("\\{[^}]+}", "{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
