package io.identitybroker.agent;

import io.identitybroker.security.RequiresCapability;
import io.identitybroker.tenant.TenantService;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.List;
import java.util.Map;

/** Admins read a tenant's agents and their certificate bindings. */
@Controller("/api/v1/tenants/{tenant}/agents")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AgentController {
    private final AgentService agents;
    private final TenantService tenants;

    public AgentController(AgentService agents, TenantService tenants) {
        this.agents = agents;
        this.tenants = tenants;
    }

    @Get
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents", capability = "read")
    public Map<String, List<AgentView>> list(@PathVariable String tenant) {
        tenants.require(tenant);
        return Map.of("agents", agents.list(tenant).stream().map(a -> AgentView.of(a, agents.bindingsOf(a.id()))).toList());
    }

    @Get("/{agentId}")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/agents", capability = "read")
    public AgentView get(@PathVariable String tenant, @PathVariable String agentId) {
        tenants.require(tenant);
        Agent agent = agents.require(tenant, agentId);
        return AgentView.of(agent, agents.bindingsOf(agent.id()));
    }
}
