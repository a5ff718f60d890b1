package io.identitybroker.oauth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414), with the RFC 8705 members.
 * The broker asks every TLS client for a certificate on one listener, so the mTLS aliases are
 * the same URLs as the endpoints themselves.
 */
@Controller("/.well-known/oauth-authorization-server")
@Secured(SecurityRule.IS_ANONYMOUS)
public class AuthorizationServerMetadataController {
    private final Map<String, Object> metadata;

    public AuthorizationServerMetadataController(OAuthConfiguration properties, SpiffeClientMethods spiffe) {
        String issuer = properties.getIssuer();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("introspection_endpoint", issuer + "/oauth2/introspect");
        m.put("jwks_uri", issuer + "/oauth2/jwks");
        m.put("grant_types_supported", List.of("client_credentials"));
        m.put("response_types_supported", List.of());
        List<String> methods = new java.util.ArrayList<>(List.of("tls_client_auth"));
        methods.addAll(spiffe.methodNames());
        m.put("token_endpoint_auth_methods_supported", methods);
        m.put("tls_client_certificate_bound_access_tokens", true);
        m.put("mtls_endpoint_aliases", Map.of(
                "token_endpoint", issuer + "/oauth2/token",
                "introspection_endpoint", issuer + "/oauth2/introspect"));
        this.metadata = java.util.Collections.unmodifiableMap(m);
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> metadata() {
        return HttpResponse.ok(metadata).header("Cache-Control", "public, max-age=300");
    }
}
