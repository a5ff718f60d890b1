package io.identitybroker.federation;

import io.identitybroker.api.RequestContext;
import io.identitybroker.security.RequiresCapability;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Tenant admins register OAuth clients whose identity is a foreign SPIFFE ID. */
@Controller("/api/v1/tenants/{tenant:[^/]+}/external-clients")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ExternalClientController {
    private final ExternalClientService service;

    public ExternalClientController(ExternalClientService service) {
        this.service = service;
    }

    @Post
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/external-clients", capability = "create")
    public HttpResponse<ExternalClientView> register(HttpRequest<?> request, @PathVariable String tenant,
                                                     @Body ExternalClientRequests.Register body) {
        ExternalClient c = service.register(tenant, body, RequestContext.of(request));
        return HttpResponse.created(service.view(c))
                .headers(h -> h.location(URI.create("/api/v1/tenants/" + tenant + "/external-clients/" + c.id())));
    }

    @Get
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/external-clients", capability = "read")
    public Map<String, List<ExternalClientView>> list(@PathVariable String tenant) {
        return Map.of("external_clients", service.list(tenant).stream().map(service::view).toList());
    }

    @Get("/{client_id:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/external-clients", capability = "read")
    public ExternalClientView get(@PathVariable String tenant, @PathVariable("client_id") String clientId) {
        return service.view(service.require(tenant, clientId));
    }

    @Patch("/{client_id:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/external-clients/{client_id}", capability = "update")
    public ExternalClientView change(HttpRequest<?> request, @PathVariable String tenant,
                                     @PathVariable("client_id") String clientId, @Body ExternalClientRequests.Change body) {
        return service.view(service.change(tenant, clientId, body, RequestContext.of(request)));
    }

    @Delete("/{client_id:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/external-clients/{client_id}", capability = "delete")
    public HttpResponse<Void> remove(HttpRequest<?> request, @PathVariable String tenant,
                                     @PathVariable("client_id") String clientId) {
        service.remove(tenant, clientId, RequestContext.of(request));
        return HttpResponse.noContent();
    }
}
