package io.identitybroker.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.identitybroker.api.Protocol;
import io.identitybroker.api.RequestContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.time.Instant;

/**
 * The agent's own routes. Micronaut Security lets them through; {@link AgentAuthenticator} decides
 * on every request (mTLS with a bound certificate + the agent secret), so nothing is cached per
 * connection. A refused request is recorded as a failure event of the route's type.
 */
@Controller("/api/v1/agents/{agent_id:[^/]+}")
@Secured(SecurityRule.IS_ANONYMOUS)
public class AgentSelfController {
    private final AgentAuthenticator authenticator;
    private final AgentLifecycleService lifecycle;

    /** What an agent may read about itself. */
    public record Self(String agentId, String tenant, String spiffeId, String status, String authenticatedWith,
                       @Nullable String serialNumber, @Nullable @JsonProperty("x5t#S256") String x5tS256,
                       @Nullable String certificateStatus, @Nullable Instant notAfter, @Nullable Instant graceUntil) {
    }

    public AgentSelfController(AgentAuthenticator authenticator, AgentLifecycleService lifecycle) {
        this.authenticator = authenticator;
        this.lifecycle = lifecycle;
    }

    /** Who the broker takes the caller for: lets an agent check its credentials and certificate. A read: not audited. */
    @Get
    public HttpResponse<Self> self(HttpRequest<?> request, @PathVariable("agent_id") String agentId) {
        AgentPrincipal p = authenticator.authenticate(request, agentId);
        CertificateBinding b = p.binding();
        return HttpResponse.ok(new Self(p.agent().id(), p.tenant().id(), p.agent().spiffeId(),
                p.agent().status().name().toLowerCase(), p.method().name().toLowerCase(),
                b == null ? null : b.serialNumber(), b == null ? null : b.x5tS256(),
                b == null ? null : b.status().name().toLowerCase(), b == null ? null : b.notAfter(),
                b == null ? null : b.graceUntil())).header("Cache-Control", "no-store");
    }

    /** The body is parsed by the service, so that malformed JSON is audited too. */
    @Post(value = "/certificate/rotate", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<AgentLifecycleService.RotateResponse> rotate(HttpRequest<?> request,
                                                                     @PathVariable("agent_id") String agentId,
                                                                     @Nullable @Body String body) {
        RequestContext ctx = context(request, agentId).over(Protocol.JSON);
        AgentPrincipal p = authenticate(request, agentId, AgentLifecycleService.ROTATED, ctx);
        return HttpResponse.ok(lifecycle.rotateCertificate(p, body, ctx)).header("Cache-Control", "no-store");
    }

    @Post("/rotate-secret")
    public HttpResponse<AgentLifecycleService.SecretResponse> rotateSecret(HttpRequest<?> request,
                                                                           @PathVariable("agent_id") String agentId) {
        RequestContext ctx = context(request, agentId);
        AgentPrincipal p = authenticate(request, agentId, AgentLifecycleService.SECRET_ROTATED, ctx);
        return HttpResponse.ok(lifecycle.rotateSecret(p, ctx)).header("Cache-Control", "no-store");
    }

    private AgentPrincipal authenticate(HttpRequest<?> request, String agentId, String eventType, RequestContext ctx) {
        try {
            return authenticator.authenticate(request, agentId);
        } catch (AgentAuthenticationException e) {
            lifecycle.auditRefusal(eventType, e, ctx);
            throw e;
        }
    }

    private static RequestContext context(HttpRequest<?> request, String agentId) {
        String actor = AgentAuthenticator.isAgentId(agentId) ? "agent:" + agentId : "agent:unknown";
        return new RequestContext(actor, RequestContext.of(request).correlationId());
    }
}
