package io.identitybroker.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the API's OpenAPI 3.1 document, anonymous. The build copies
 * {@code docs/openapi.yaml} into the jar, so the served and the documented file are one source;
 * a jar without it fails on the first request (and the suite, which reads it from there too).
 */
@Controller("/openapi.yaml")
@Secured(SecurityRule.IS_ANONYMOUS)
public class OpenApiController {
    static final String RESOURCE = "identity-broker/openapi.yaml";
    private static final String YAML = "application/yaml";

    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath (copied from docs/ at build time)");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(produces = YAML)
    public HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType(YAML).header("Cache-Control", "public, max-age=300");
    }
}
