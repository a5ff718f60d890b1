package io.identitybroker.security;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Tenant, agent and token ids taken from a path are checked against the creation rules before any
 * Vault path is built: a malformed id gets exactly the answer an unknown one gets, and Vault (seen
 * through a recording proxy) never receives it.
 */
class PathIdValidationTest extends BrokerTest {
    private TcpProxy vaultProxy;

    @Override
    protected Map<String, Object> databaseProperties() {
        vaultProxy = new TcpProxy(URI.create(vault.address()).getPort());
        return Map.of("broker.vault.address", vaultProxy.url());
    }

    @AfterAll
    void closeProxy() {
        vaultProxy.close();
    }

    /** Each contains "evil", so the Vault traffic can be searched for it whatever its encoding. */
    static final List<String> MALFORMED = List.of("EVIL", "evil.", "evil..x", "evil%2Fx", "evil%2F..%2Fx", "evil*",
            "%2Eevil", "evil%2E%2E", "evil%00", "evil%20x", "evil%252F", "evil" + "a".repeat(70), "-evil", "evil_x", "evil+",
            "evil+x");

    static Stream<Arguments> tenantRoutes() {
        List<String> routes = List.of("GET /api/v1/tenants/{t}", "PATCH /api/v1/tenants/{t}",
                "POST /api/v1/tenants/{t}/enrollment-tokens", "GET /api/v1/tenants/{t}/enrollment-tokens",
                "GET /api/v1/tenants/{t}/agents", "GET /api/v1/tenants/{t}/audit-events");
        return routes.stream().flatMap(r -> Stream.of("platform", "acme", "globex")
                .flatMap(caller -> MALFORMED.stream().map(id -> Arguments.of(r, caller, id))));
    }

    static Stream<Arguments> rowIdRoutes() {
        List<String> routes = List.of("GET /api/v1/tenants/acme/agents/{t}", "POST /api/v1/tenants/acme/agents/{t}/revoke",
                "POST /api/v1/tenants/acme/agents/{t}/revoke-secret", "DELETE /api/v1/tenants/acme/enrollment-tokens/{t}");
        List<String> malformed = Stream.concat(MALFORMED.stream(),
                Stream.of("0190EVIL-0000-7000-8000-000000000000", "evil-0190a0b1-0000-7000-8000-000000000000")).toList();
        return routes.stream().flatMap(r -> Stream.of("platform", "acme", "globex")
                .flatMap(caller -> malformed.stream().map(id -> Arguments.of(r, caller, id))));
    }

    @ParameterizedTest(name = "{0} as {1} with {2}")
    @MethodSource("tenantRoutes")
    void aMalformedTenantIdIsAnsweredLikeAnUnknownOneAndNeverReachesVault(String route, String caller, String id) {
        assertAnsweredLikeUnknown(route, caller, id, "nosuchtenant");
    }

    @ParameterizedTest(name = "{0} as {1} with {2}")
    @MethodSource("rowIdRoutes")
    void aMalformedAgentOrTokenIdIsAnsweredLikeAnUnknownOneAndNeverReachesVault(String route, String caller, String id) {
        assertAnsweredLikeUnknown(route, caller, id, UUID.randomUUID().toString());
    }

    private void assertAnsweredLikeUnknown(String route, String caller, String malformed, String unknown) {
        BrokerApi.Response expected = send(route, caller, unknown);
        BrokerApi.Response actual = send(route, caller, malformed);

        assertEquals(expected.status(), actual.status(), actual.raw());
        for (String field : List.of("type", "title", "status", "detail")) {
            assertEquals(expected.body().path(field), actual.body().path(field), field + ": " + actual.raw() + " vs " + expected.raw());
        }
        String toVault = vaultProxy.requestsSent().toLowerCase(Locale.ROOT);
        assertFalse(toVault.contains("evil"), "Vault saw the malformed id: " + excerpt(toVault));
    }

    private BrokerApi.Response send(String route, String caller, String id) {
        String[] parts = route.split(" ");
        String token = switch (caller) {
            case "platform" -> vault.platformAdminToken();
            default -> vault.adminToken(caller);
        };
        Object body = parts[0].equals("PATCH") ? Map.of("display_name", "x") : parts[0].equals("POST") ? Map.of() : null;
        return api.send(parts[0], parts[1].replace("{t}", id), body, token, Map.of());
    }

    private static String excerpt(String text) {
        int at = text.indexOf("evil");
        return text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100));
    }
}
