package io.identitybroker.oauth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Map;

/** {@code GET /oauth2/jwks}: the public keys of every live transit key version, from the ring's cache. */
@Controller("/oauth2/jwks")
@Secured(SecurityRule.IS_ANONYMOUS)
public class JwksController {
    private final TransitKeyRing keys;

    public JwksController(TransitKeyRing keys) {
        this.keys = keys;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> jwks() {
        // Short public caching: resource servers re-fetch on an unknown kid anyway.
        return HttpResponse.ok(keys.jwks()).header("Cache-Control", "public, max-age=60");
    }
}
