package io.identitybroker.agent;

import io.identitybroker.api.RequestContext;
import io.identitybroker.security.RequiresCapability;
import io.identitybroker.tenant.TenantService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.Map;

/** Admins read a tenant's agents and their certificate bindings, and cut agents off. */
@Controller("/api/v1/tenants/{tenant:[^/]+}/agents")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AgentController {
    private final AgentService agents;
    private final TenantService tenants;
    private final AgentLifecycleService lifecycle;
    private final AgentInventory inventory;

    public AgentController(AgentService agents, TenantService tenants, AgentLifecycleService lifecycle,
                           AgentInventory inventory) {
        this.agents = agents;
        this.tenants = tenants;
        this.lifecycle = lifecycle;
        this.inventory = inventory;
    }

    /** Revokes the agent: its certificates in Vault, its bindings, itself. Idempotent. */
    @Post("/{agent_id:[^/]+}/revoke")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents/{agent_id}", capability = "update")
    public AgentView revoke(HttpRequest<?> request, @PathVariable String tenant, @PathVariable("agent_id") String agentId) {
        return lifecycle.revokeAgent(tenant, agentId, RequestContext.of(request));
    }

    /** The agent secret stops working at once; the agent must enroll again for a new one. Idempotent. */
    @Post("/{agent_id:[^/]+}/revoke-secret")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents/{agent_id}", capability = "update")
    public AgentView revokeSecret(HttpRequest<?> request, @PathVariable String tenant,
                                  @PathVariable("agent_id") String agentId) {
        return lifecycle.revokeSecret(tenant, agentId, RequestContext.of(request));
    }

    /** A page of the tenant's agents, newest first, filtered as {@link AgentQuery} describes. */
    @Get
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents", capability = "read")
    public Map<String, Object> list(HttpRequest<?> request, @PathVariable String tenant) {
        AgentQuery query = AgentQuery.of(request.getParameters());
        tenants.require(tenant);
        AgentInventory.Page<AgentView> page = inventory.agents(tenant, query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agents", page.items());
        body.put("next_page_token", page.nextPageToken());
        return body;
    }

    @Get("/{agentId:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents", capability = "read")
    public AgentView get(@PathVariable String tenant, @PathVariable String agentId) {
        tenants.require(tenant);
        Agent agent = agents.require(tenant, agentId);
        return AgentView.of(agent, agents.bindingsOf(agent.id()));
    }
}
