package io.identitybroker.federation;

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
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Platform admins declare the foreign trust domains whose SVIDs the broker accepts. */
@Controller("/api/v1/trust-domains")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class TrustDomainController {
    private final TrustDomainService service;

    public TrustDomainController(TrustDomainService service) {
        this.service = service;
    }

    @Post
    @RequiresCapability(path = "identity-broker/trust-domains", capability = "create")
    public HttpResponse<TrustDomainView> declare(HttpRequest<?> request, @Body TrustDomainRequests.Declare body) {
        TrustDomain td = service.declare(body, RequestContext.of(request));
        service.applied();
        return HttpResponse.created(service.view(td)).headers(h -> h.location(URI.create("/api/v1/trust-domains/" + td.name())));
    }

    @Get
    @RequiresCapability(path = "identity-broker/trust-domains", capability = "list")
    public Map<String, List<TrustDomainView>> list() {
        return Map.of("trust_domains", service.all().stream().map(service::view).toList());
    }

    @Get("/{name:[^/]+}")
    @RequiresCapability(path = "identity-broker/trust-domains/{name}", capability = "read")
    public TrustDomainView get(@PathVariable String name) {
        return service.view(service.require(name));
    }

    @Put("/{name:[^/]+}")
    @RequiresCapability(path = "identity-broker/trust-domains/{name}", capability = "update")
    public TrustDomainView replace(HttpRequest<?> request, @PathVariable String name, @Body TrustDomainRequests.Declare body) {
        TrustDomain td = service.replace(name, body, RequestContext.of(request));
        service.applied();
        return service.view(td);
    }

    @Delete("/{name:[^/]+}")
    @RequiresCapability(path = "identity-broker/trust-domains/{name}", capability = "delete")
    public HttpResponse<Void> remove(HttpRequest<?> request, @PathVariable String name) {
        service.remove(name, RequestContext.of(request));
        service.applied();
        return HttpResponse.noContent();
    }

    /** Fetches the bundle now on the answering replica (after fixing an endpoint, say). */
    @Post("/{name:[^/]+}/refresh")
    @RequiresCapability(path = "identity-broker/trust-domains/{name}", capability = "update")
    public TrustDomainView refresh(@PathVariable String name) {
        TrustDomain td = service.require(name);
        service.refreshNow(name);
        return service.view(td);
    }
}
