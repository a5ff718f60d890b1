package io.identitybroker.agent;

import io.identitybroker.api.ProblemType;
import io.identitybroker.mtls.AgentIdentity;
import io.identitybroker.mtls.ChainValidator;
import io.identitybroker.tenant.Tenant;
import io.micronaut.core.annotation.Nullable;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks 2 to 6 of {@link AgentAuthenticator} as one decision over what the request presented (the
 * chain's validation result, the leaf) and what the broker knows (the agent and tenant the request
 * names, the bindings): the first check that fails, in the documented order, is the refusal. Pure
 * but for the binding lookups it is handed, which run only once every earlier check has passed.
 */
final class AgentCertificateChecks {

    private AgentCertificateChecks() {
    }

    /** How bindings are found (the agent service in the broker): by certificate thumbprint, and an agent's current one. */
    record Bindings(Function<String, Optional<CertificateBinding>> byThumbprint,
                    Function<String, Optional<CertificateBinding>> current) {
    }

    /** The outcome: a refusal with its status and problem type, or the binding and how the agent was authenticated. */
    sealed interface Decision permits Refused, Accepted {
    }

    record Refused(ProblemType type, String detail) implements Decision {
    }

    record Accepted(@Nullable CertificateBinding binding, AgentPrincipal.Method method) implements Decision {
    }

    /**
     * @param chain the chain's validation against the anchors for {@code tenant}
     * @param agent the agent the request names, null when it does not exist
     * @param tenant that agent's tenant, null when there is none
     * @param x5t   the leaf's {@code x5t#S256}
     */
    static Decision decide(ChainValidator.Result chain, X509Certificate leaf, @Nullable Agent agent, @Nullable Tenant tenant,
                           boolean acceptExternalSvids, String x5t, Instant now, Bindings bindings) {
        try {
            return check(chain, leaf, agent, tenant, acceptExternalSvids, x5t, now, bindings);
        } catch (Stop stop) {
            return stop.refused;
        }
    }

    private static Accepted check(ChainValidator.Result chainResult, X509Certificate leaf, Agent agent, Tenant tenant,
                                  boolean acceptExternalSvids, String x5t, Instant now, Bindings bindings) {
        if (!chainResult.valid()) {
            throw switch (chainResult.failure()) {
                case EXPIRED -> refused(ProblemType.CLIENT_CERTIFICATE_EXPIRED, chainResult.detail());
                case TOO_LONG -> refused(ProblemType.CLIENT_CERTIFICATE_CHAIN_TOO_LONG, chainResult.detail());
                case NOT_YET_VALID -> refused(ProblemType.CLIENT_CERTIFICATE_NOT_YET_VALID, chainResult.detail());
                case UNSUITABLE -> refused(ProblemType.CLIENT_CERTIFICATE_UNSUITABLE, chainResult.detail());
                case UNTRUSTED -> refused(ProblemType.CLIENT_CERTIFICATE_UNTRUSTED, chainResult.detail());
            };
        }
        boolean external = chainResult.anchor().tenants().isEmpty();

        AgentIdentity identity = identity(AgentIdentity.claimOf(leaf), tenant, external);
        if (!external && !chainResult.anchor().tenants().contains(identity.tenant())) {
            throw refused(ProblemType.CLIENT_CERTIFICATE_WRONG_ISSUER,
                    "The certificate was not issued by the CA of the tenant its identity names.");
        }
        if (external && !acceptExternalSvids) {
            throw refused(ProblemType.EXTERNAL_SVID_NOT_ACCEPTED,
                    "Certificates from the extra trust anchors (external SVIDs) are not accepted here.");
        }
        if (agent == null || tenant == null || !identity.agentId().equals(agent.id()) || !identity.tenant().equals(tenant.id())) {
            throw refused(ProblemType.CLIENT_CERTIFICATE_AGENT_MISMATCH,
                    "The certificate's identity does not name the agent of this request (the path's agent id, or client_id).");
        }
        if (!identity.trustDomain().equals(tenant.trustDomain())) {
            throw refused(ProblemType.CLIENT_CERTIFICATE_WRONG_TRUST_DOMAIN,
                    "The certificate's trust domain is not the tenant's.");
        }
        if (!tenant.isActive()) {
            throw refused(ProblemType.AGENT_TENANT_SUSPENDED, "The agent's tenant is suspended.");
        }
        if (agent.status() == AgentStatus.REVOKED) {
            throw refused(ProblemType.CLIENT_CERTIFICATE_REVOKED, "The agent was revoked.");
        }
        CertificateBinding binding;
        if (external) {
            binding = bindings.current().apply(agent.id()).orElse(null);
        } else {
            binding = bindings.byThumbprint().apply(x5t).filter(b -> b.agentId().equals(agent.id()))
                    .orElseThrow(() -> refused(ProblemType.CLIENT_CERTIFICATE_NOT_BOUND,
                            "The certificate is not one the broker bound to this agent."));
            if (!binding.acceptedAt(now)) {
                throw refused(ProblemType.CLIENT_CERTIFICATE_REVOKED,
                        "The certificate was revoked or replaced and its grace period ended.");
            }
        }
        return new Accepted(binding, external ? AgentPrincipal.Method.EXTERNAL_SVID : AgentPrincipal.Method.BOUND_CERTIFICATE);
    }

    private static AgentIdentity identity(AgentIdentity.Claim claim, Tenant tenant, boolean external) {
        if (claim instanceof AgentIdentity.Spiffe spiffe) {
            return AgentIdentity.ofSpiffe(spiffe.id()).orElseThrow(() -> refused(ProblemType.CLIENT_CERTIFICATE_IDENTITY_INVALID,
                    "The SPIFFE ID is not of the form spiffe://<trust_domain>/tenant/<tenant>/agent/<agent_id>."));
        }
        if (claim instanceof AgentIdentity.Dns dns) {
            if (external || tenant == null || !tenant.allowDnsSan()) {
                throw refused(ProblemType.CLIENT_CERTIFICATE_IDENTITY_INVALID,
                        "The certificate has no SPIFFE ID, and DNS SAN identities are not enabled for this tenant.");
            }
            return AgentIdentity.ofDns(dns.name(), tenant.id(), tenant.trustDomain()).orElseThrow(() -> refused(
                    ProblemType.CLIENT_CERTIFICATE_AGENT_MISMATCH, "The DNS SAN does not name the agent of this request (the path's agent id, or client_id)."));
        }
        throw refused(ProblemType.CLIENT_CERTIFICATE_IDENTITY_INVALID, ((AgentIdentity.Invalid) claim).why());
    }

    private static Stop refused(ProblemType type, String detail) {
        return new Stop(new Refused(type, detail));
    }


    /** Ends the checks at the first refusal; never leaves {@link #decide}. */
    private static final class Stop extends RuntimeException {
        private final transient Refused refused;

        Stop(Refused refused) {
            super(refused.type().code(), null, false, false);
            this.refused = refused;
        }
    }
}
