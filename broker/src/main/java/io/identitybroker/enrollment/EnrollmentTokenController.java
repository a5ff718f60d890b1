package io.identitybroker.enrollment;

import io.identitybroker.api.RequestContext;
import io.identitybroker.security.RequiresCapability;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tenant admins issue, list and revoke enrollment tokens. */
@Controller("/api/v1/tenants/{tenant:[^/]+}/enrollment-tokens")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class EnrollmentTokenController {
    private final EnrollmentTokenService tokens;

    public EnrollmentTokenController(EnrollmentTokenService tokens) {
        this.tokens = tokens;
    }

    @Post
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/enrollment-tokens", capability = "create")
    public HttpResponse<EnrollmentTokenView> issue(HttpRequest<?> request, @PathVariable String tenant,
                                                   @Body EnrollmentTokenRequest body) {
        EnrollmentTokenService.Issued issued = tokens.issue(tenant, body, RequestContext.of(request));
        return HttpResponse.created(EnrollmentTokenView.of(issued.token(), issued.secret(), tokens.now()))
                .header("Cache-Control", "no-store");
    }

    @Get
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/enrollment-tokens", capability = "list")
    public Map<String, List<EnrollmentTokenView>> list(@PathVariable String tenant) {
        Instant now = tokens.now();
        return Map.of("enrollment_tokens", tokens.list(tenant).stream()
                .map(t -> EnrollmentTokenView.of(t, null, now)).toList());
    }

    @Delete("/{id:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/enrollment-tokens/{id}", capability = "delete")
    public HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String id) {
        tokens.revoke(tenant, id, RequestContext.of(request));
        return HttpResponse.noContent();
    }
}
