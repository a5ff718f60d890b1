package io.identitybroker.spiffe;

import io.identitybroker.agent.AgentAuthenticationException;
import io.identitybroker.agent.AgentAuthenticator;
import io.identitybroker.agent.AgentLifecycleService;
import io.identitybroker.agent.AgentPrincipal;
import io.identitybroker.api.RequestContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * {@code POST /api/v1/agents/{agent_id}/jwt-svids}: an agent's JWT-SVID. Authenticated like every
 * agent self route ({@link AgentAuthenticator#authenticate}: mTLS with the bound certificate and the
 * agent secret), on every request; a refusal is an {@link JwtSvidIssuer#ISSUED} failure event.
 */
@Controller("/api/v1/agents/{agent_id:[^/]+}/jwt-svids")
@Secured(SecurityRule.IS_ANONYMOUS)
public class JwtSvidController {
    private final AgentAuthenticator authenticator;
    private final AgentLifecycleService lifecycle;
    private final JwtSvidIssuer issuer;

    public JwtSvidController(AgentAuthenticator authenticator, AgentLifecycleService lifecycle, JwtSvidIssuer issuer) {
        this.authenticator = authenticator;
        this.lifecycle = lifecycle;
        this.issuer = issuer;
    }

    /** The body is parsed by the issuer, so that malformed JSON is audited too. */
    @Post(consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<JwtSvidIssuer.Issued> issue(HttpRequest<?> request, @PathVariable("agent_id") String agentId,
                                                    @Nullable @Body String body) {
        String actor = AgentAuthenticator.isAgentId(agentId) ? "agent:" + agentId : "agent:unknown";
        RequestContext ctx = new RequestContext(actor, RequestContext.of(request).correlationId());
        AgentPrincipal principal;
        try {
            principal = authenticator.authenticate(request, agentId);
        } catch (AgentAuthenticationException e) {
            lifecycle.auditRefusal(JwtSvidIssuer.ISSUED, e, ctx);
            throw e;
        }
        return HttpResponse.ok(issuer.issue(principal, body, ctx)).header("Cache-Control", "no-store");
    }
}
