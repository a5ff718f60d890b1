package io.identitybroker.tenant;

import io.identitybroker.api.RequestContext;
import io.identitybroker.security.AdminAuthorizer;
import io.identitybroker.security.AdminTokens;
import io.identitybroker.security.RequiresCapability;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tenant admin API. */
@Controller("/api/v1/tenants")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class TenantController {
    private final TenantService tenants;
    private final TenantLifecycleService lifecycle;
    private final AdminAuthorizer authorizer;

    public TenantController(TenantService tenants, TenantLifecycleService lifecycle, AdminAuthorizer authorizer) {
        this.tenants = tenants;
        this.lifecycle = lifecycle;
        this.authorizer = authorizer;
    }

    @Post
    @RequiresCapability(path = "identity-broker/tenants", capability = "create")
    public HttpResponse<TenantView> create(HttpRequest<?> request, @Body TenantRequests.Create body) {
        Tenant tenant = lifecycle.create(body, RequestContext.of(request));
        return HttpResponse.created(tenants.view(tenant)).headers(h -> h.location(java.net.URI.create("/api/v1/tenants/" + tenant.id())));
    }

    /** Only the tenants the caller's Vault policies let it read. */
    @Get
    public Map<String, List<TenantView>> list(HttpRequest<?> request) {
        String token = AdminTokens.of(request);
        List<Tenant> all = tenants.all();
        Map<String, Set<String>> caps = authorizer.capabilitiesOf(token,
                all.stream().map(t -> AdminAuthorizer.tenantPath(t.id())).toList());
        return Map.of("tenants", all.stream()
                .filter(t -> AdminAuthorizer.grants(caps.getOrDefault(AdminAuthorizer.tenantPath(t.id()), Set.of()), "read"))
                .map(tenants::view).toList());
    }

    @Get("/{tenant:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}", capability = "read")
    public TenantView get(@PathVariable String tenant) {
        return tenants.view(tenants.require(tenant));
    }

    @Patch("/{tenant:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}", capability = "update")
    public TenantView update(HttpRequest<?> request, @PathVariable String tenant, @Body TenantRequests.Update body) {
        return tenants.view(lifecycle.update(tenant, body, RequestContext.of(request)));
    }
}
