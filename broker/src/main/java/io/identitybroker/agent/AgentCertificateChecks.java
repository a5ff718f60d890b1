package io.identitybroker.agent;

import io.identitybroker.mtls.AgentIdentity;
import io.identitybroker.mtls.ChainValidator;
import io.identitybroker.tenant.Tenant;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

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

    record Refused(HttpStatus status, String code, String detail) implements Decision {
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
                case EXPIRED -> unauthorized("client_certificate_expired", chainResult.detail());
                case TOO_LONG -> forbidden("client_certificate_chain_too_long", chainResult.detail());
                case NOT_YET_VALID -> forbidden("client_certificate_not_yet_valid", chainResult.detail());
                case UNSUITABLE -> forbidden("client_certificate_unsuitable", chainResult.detail());
                case UNTRUSTED -> forbidden("client_certificate_untrusted", chainResult.detail());
            };
        }
        boolean external = chainResult.anchor().tenants().isEmpty();

        AgentIdentity identity = identity(AgentIdentity.claimOf(leaf), tenant, external);
        if (!external && !chainResult.anchor().tenants().contains(identity.tenant())) {
            throw forbidden("client_certificate_wrong_issuer",
                    "The certificate was not issued by the CA of the tenant its identity names.");
        }
        if (external && !acceptExternalSvids) {
            throw forbidden("external_svid_not_accepted",
                    "Certificates from the extra trust anchors (external SVIDs) are not accepted here.");
        }
        if (agent == null || tenant == null || !identity.agentId().equals(agent.id()) || !identity.tenant().equals(tenant.id())) {
            throw forbidden("client_certificate_agent_mismatch",
                    "The certificate's identity does not name the agent of this request (the path's agent id, or client_id).");
        }
        if (!identity.trustDomain().equals(tenant.trustDomain())) {
            throw forbidden("client_certificate_wrong_trust_domain",
                    "The certificate's trust domain is not the tenant's.");
        }
        if (!tenant.isActive()) {
            throw forbidden("tenant_suspended", "The agent's tenant is suspended.");
        }
        if (agent.status() == AgentStatus.REVOKED) {
            throw unauthorized("client_certificate_revoked", "The agent was revoked.");
        }
        CertificateBinding binding;
        if (external) {
            binding = bindings.current().apply(agent.id()).orElse(null);
        } else {
            binding = bindings.byThumbprint().apply(x5t).filter(b -> b.agentId().equals(agent.id()))
                    .orElseThrow(() -> forbidden("client_certificate_not_bound",
                            "The certificate is not one the broker bound to this agent."));
            if (!binding.acceptedAt(now)) {
                throw unauthorized("client_certificate_revoked",
                        "The certificate was revoked or replaced and its grace period ended.");
            }
        }
        return new Accepted(binding, external ? AgentPrincipal.Method.EXTERNAL_SVID : AgentPrincipal.Method.BOUND_CERTIFICATE);
    }

    private static AgentIdentity identity(AgentIdentity.Claim claim, Tenant tenant, boolean external) {
        if (claim instanceof AgentIdentity.Spiffe spiffe) {
            return AgentIdentity.ofSpiffe(spiffe.id()).orElseThrow(() -> forbidden("client_certificate_identity_invalid",
                    "The SPIFFE ID is not of the form spiffe://<trust_domain>/tenant/<tenant>/agent/<agent_id>."));
        }
        if (claim instanceof AgentIdentity.Dns dns) {
            if (external || tenant == null || !tenant.allowDnsSan()) {
                throw forbidden("client_certificate_identity_invalid",
                        "The certificate has no SPIFFE ID, and DNS SAN identities are not enabled for this tenant.");
            }
            return AgentIdentity.ofDns(dns.name(), tenant.id(), tenant.trustDomain()).orElseThrow(() -> forbidden(
                    "client_certificate_agent_mismatch", "The DNS SAN does not name the agent of this request (the path's agent id, or client_id)."));
        }
        throw forbidden("client_certificate_identity_invalid", ((AgentIdentity.Invalid) claim).why());
    }

    private static Stop unauthorized(String code, String detail) {
        return new Stop(new Refused(HttpStatus.UNAUTHORIZED, code, detail));
    }

    private static Stop forbidden(String code, String detail) {
        return new Stop(new Refused(HttpStatus.FORBIDDEN, code, detail));
    }

    /** Ends the checks at the first refusal; never leaves {@link #decide}. */
    private static final class Stop extends RuntimeException {
        private final transient Refused refused;

        Stop(Refused refused) {
            super(refused.code(), null, false, false);
            this.refused = refused;
        }
    }
}
