package io.identitybroker.spiffe;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.ids.SpiffeId;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * {@code GET /spiffe/bundles/{trust_domain}}: the trust domain's SPIFFE bundle, without
 * authentication, usable as a SPIFFE federation bundle endpoint ({@code https_web} profile: the
 * broker's own TLS certificate authenticates it). JSON by default; the roots as PEM for
 * {@code Accept: application/x-pem-file}. A trust domain without an active tenant (or not a valid
 * trust domain name) is 404 {@code trust_domain_not_found}. Served from memory ({@link TrustBundles}).
 */
@Controller("/spiffe/bundles")
@Secured(SecurityRule.IS_ANONYMOUS)
public class TrustBundleController {
    static final MediaType PEM = MediaType.of("application/x-pem-file");
    /** Peers follow spiffe_refresh_hint; intermediaries may reuse an answer briefly. */
    private static final String CACHE_CONTROL = "public, max-age=60";

    private final TrustBundles bundles;
    private final BundleConfiguration properties;

    public TrustBundleController(TrustBundles bundles, BundleConfiguration properties) {
        this.bundles = bundles;
        this.properties = properties;
    }

    @Get(value = "/{trust_domain:[^/]+}", produces = {MediaType.APPLICATION_JSON, "application/x-pem-file"})
    public HttpResponse<?> bundle(HttpRequest<?> request, @PathVariable("trust_domain") String trustDomain) {
        TrustBundle bundle = (SpiffeId.isTrustDomain(trustDomain) ? bundles.bundle(trustDomain) : java.util.Optional.<TrustBundle>empty())
                .orElseThrow(() -> new ProblemException(ProblemType.TRUST_DOMAIN_NOT_FOUND,
                        "The broker has no active tenant in this trust domain."));
        if (wantsPem(request)) {
            return HttpResponse.ok(bundle.pem()).contentType(PEM).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        }
        return HttpResponse.ok(bundle.document(properties.getRefreshHint())).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    /** PEM only when asked for and JSON not preferred: a federation client sends no Accept, or JSON. */
    private static boolean wantsPem(HttpRequest<?> request) {
        return request.accept().stream().anyMatch(t -> t.getName().equals(PEM.getName()))
                && request.accept().stream().noneMatch(t -> t.getName().equals(MediaType.APPLICATION_JSON));
    }
}
