package io.identitybroker.agent;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/**
 * An agent route refused the caller. Carries what the audit event needs: the tenant and agent the
 * request was about (when they exist) and the presented certificate's thumbprint, never a secret.
 */
public class AgentAuthenticationException extends ProblemException {
    private final String tenantId;
    private final String agentId;
    private final String presentedX5t;

    AgentAuthenticationException(ProblemType type, String detail, @Nullable String tenantId,
                                 @Nullable String agentId, @Nullable String presentedX5t) {
        super(type, detail, type == ProblemType.INVALID_AGENT_CREDENTIALS
                ? Map.of("WWW-Authenticate", "Basic realm=\"identity-broker-agents\"") : Map.of(), null);
        this.tenantId = tenantId;
        this.agentId = agentId;
        this.presentedX5t = presentedX5t;
    }

    /** The tenant of the agent named in the path, when that agent exists. */
    @Nullable
    public String tenantId() {
        return tenantId;
    }

    /** The agent named in the path, when it exists. */
    @Nullable
    public String agentId() {
        return agentId;
    }

    @Nullable
    public String presentedX5t() {
        return presentedX5t;
    }
}
