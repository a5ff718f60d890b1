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

import java.util.List;
import java.util.Map;

/** Admins read a tenant's agents and their certificate bindings, and cut agents off. */
@Controller("/api/v1/tenants/{tenant:[^/]+}/agents")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AgentController {
    private final AgentService agents;
    private final TenantService tenants;
    private final AgentLifecycleService lifecycle;

    public AgentController(AgentService agents, TenantService tenants, AgentLifecycleService lifecycle) {
        this.agents = agents;
        this.tenants = tenants;
        this.lifecycle = lifecycle;
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

    @Get
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents", capability = "read")
    public Map<String, List<AgentView>> list(@PathVariable String tenant) {
        tenants.require(tenant);
        return Map.of("agents", agents.list(tenant).stream().map(a -> AgentView.of(a, agents.bindingsOf(a.id()))).toList());
    }

    @Get("/{agentId:[^/]+}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents", capability = "read")
    public AgentView get(@PathVariable String tenant, @PathVariable String agentId) {
        tenants.require(tenant);
        Agent agent = agents.require(tenant, agentId);
        return AgentView.of(agent, agents.bindingsOf(agent.id()));
    }
}
