package io.identitybroker.agent;

import io.identitybroker.tenant.Tenant;
import io.micronaut.core.annotation.Nullable;

import java.security.cert.X509Certificate;

/**
 * An agent authenticated on an agent route.
 *
 * @param agent       the agent as read during authentication (its {@code secretVersion} is the CAS guard)
 * @param binding     the binding of the presented certificate; for an external SVID or a secret-only
 *                    request, the agent's current binding at authentication (null if it has none)
 * @param certificate the presented leaf, null for a secret-only request
 */
public record AgentPrincipal(Agent agent, Tenant tenant, @Nullable CertificateBinding binding,
                             @Nullable X509Certificate certificate, Method method) {

    /** How the agent proved who it is (besides its secret). */
    public enum Method {
        /** A certificate bound to the agent (current, or previous within its grace). */
        BOUND_CERTIFICATE,
        /** An SVID chaining to {@code broker.agent.mtls.ca-file}; not bound, not rotatable here. */
        EXTERNAL_SVID,
        /** No certificate: only with {@code broker.agent.mtls.required=false}. */
        SECRET_ONLY
    }
}
