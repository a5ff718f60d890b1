package io.identitybroker.agent;

import io.identitybroker.ids.ResourceIds;
import io.identitybroker.mtls.AgentIdentity;
import io.identitybroker.mtls.ChainValidator;
import io.identitybroker.mtls.ClientCertificates;
import io.identitybroker.mtls.MtlsConfiguration;
import io.identitybroker.mtls.TrustAnchors;
import io.identitybroker.api.ProblemType;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.security.BasicCredentials;
import io.identitybroker.security.SecretTokens;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Authenticates every request on an agent route, from scratch: nothing is remembered per
 * connection, so a revocation takes effect on the next request, keep-alive or not.
 * <p>
 * Checks, in order, each failure with its own problem type:
 * <ol>
 *   <li>a client certificate is present (401 {@code client_certificate_required}), unless
 *       {@code broker.agent.mtls.required=false}, where the secret alone authenticates;</li>
 *   <li>the chain validates by PKIX against the current anchors, bounded in length
 *       (403 {@code client_certificate_untrusted}, {@code _chain_too_long}, {@code _not_yet_valid},
 *       {@code _unsuitable}), and the leaf is not expired (401 {@code client_certificate_expired});</li>
 *   <li>the identity is the single SPIFFE URI SAN of the broker's form, or a DNS SAN where the tenant
 *       allows it (403 {@code client_certificate_identity_invalid});</li>
 *   <li>the anchor is the CA of the tenant the identity names (403 {@code client_certificate_wrong_issuer}),
 *       or the CA file where external SVIDs are accepted (403 {@code external_svid_not_accepted});</li>
 *   <li>the identity names the agent of the request (the path's agent id, or the token endpoint's
 *       {@code client_id}), in its tenant's trust domain
 *       (403 {@code client_certificate_agent_mismatch}, {@code client_certificate_wrong_trust_domain});</li>
 *   <li>the tenant is active (403 {@code tenant_suspended}); the agent is not revoked, and the
 *       certificate's {@code x5t#S256} is its current binding or its previous one inside the grace
 *       window (401 {@code client_certificate_revoked}, 403 {@code client_certificate_not_bound});
 *       external SVIDs skip the binding check;</li>
 *   <li>HTTP Basic {@code agent_id:secret} matches, in constant time (401 {@code invalid_agent_credentials}).</li>
 * </ol>
 * {@link #authenticateTlsClient} (OAuth2 {@code tls_client_auth}) runs checks 1 to 6, always requiring
 * the certificate, and instead of the secret checks the certificate against the client's registration.
 * {@link #authenticateReenrollment} (EST) runs those checks for the agent the certificate names, then
 * the tenant the request addressed and the agent's secret where it has one.
 */
@Singleton
public class AgentAuthenticator {

    private final ClientCertificates certificates;
    private final TrustAnchors anchors;
    private final AgentService agents;
    private final TenantService tenants;
    private final MtlsConfiguration properties;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final AgentCertificateChecks.Bindings bindings;

    public AgentAuthenticator(ClientCertificates certificates, TrustAnchors anchors, AgentService agents,
                              TenantService tenants, MtlsConfiguration properties, Clock clock, MeterRegistry metrics) {
        this.certificates = certificates;
        this.anchors = anchors;
        this.agents = agents;
        this.tenants = tenants;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
        this.bindings = new AgentCertificateChecks.Bindings(agents::bindingByThumbprint, agents::currentBinding);
    }

    /** A syntactically valid agent id (a UUID), safe to record as an audit subject. */
    public static boolean isAgentId(String value) {
        return ResourceIds.isUuid(value);
    }

    /** mTLS (unless {@code broker.agent.mtls.required=false}) plus the agent secret: the agent routes. */
    public AgentPrincipal authenticate(HttpRequest<?> request, String pathAgentId) {
        Caller caller = caller(pathAgentId);
        Refusal refuse = caller.refuse();
        List<X509Certificate> chain = certificates.presented(request);

        if (chain.isEmpty()) {
            if (properties.isRequired()) {
                throw refuse.certificateRequired();
            }
            Agent agent = caller.agent();
            Tenant tenant = caller.tenant();
            if (agent == null || tenant == null || agent.status() != AgentStatus.ACTIVE) {
                throw refuse.badCredentials();
            }
            checkSecret(request, agent, refuse);
            if (!tenant.isActive()) {
                throw refuse.of(ProblemType.AGENT_TENANT_SUSPENDED, "The agent's tenant is suspended.");
            }
            return new AgentPrincipal(agent, tenant, agents.currentBinding(agent.id()).orElse(null), null,
                    AgentPrincipal.Method.SECRET_ONLY);
        }
        AgentPrincipal principal = checkCertificate(chain, caller);
        checkSecret(request, principal.agent(), refuse);
        return principal;
    }

    /**
     * RFC 8705 §2.1 {@code tls_client_auth} for the OAuth2 endpoints: the certificate checks of
     * {@link #authenticate} without the secret, a certificate always required (whatever
     * {@code broker.agent.mtls.required} says), and two more rules: the certificate's URI SAN must be
     * exactly the client's registered {@code tls_client_auth_san_uri} (the agent's SPIFFE ID; a DNS
     * SAN identity does not qualify: 403 {@code client_certificate_san_uri_mismatch}), and it must be
     * a certificate the broker bound (an external SVID's thumbprint is bound to nothing, so a token
     * bound to it could never be introspected: 403 {@code client_certificate_not_bound}).
     */
    public AgentPrincipal authenticateTlsClient(HttpRequest<?> request, String clientId) {
        Caller caller = caller(clientId);
        List<X509Certificate> chain = certificates.presented(request);
        if (chain.isEmpty()) {
            throw caller.refuse().certificateRequired();
        }
        AgentPrincipal principal = checkCertificate(chain, caller);
        if (!(AgentIdentity.claimOf(principal.certificate()) instanceof AgentIdentity.Spiffe spiffe)
                || !spiffe.id().toString().equals(principal.agent().spiffeId())) {
            throw caller.refuse().of(ProblemType.CLIENT_CERTIFICATE_SAN_URI_MISMATCH,
                    "The certificate's URI SAN is not the client's registered SPIFFE ID (tls_client_auth_san_uri).");
        }
        if (principal.method() != AgentPrincipal.Method.BOUND_CERTIFICATE) {
            throw caller.refuse().of(ProblemType.CLIENT_CERTIFICATE_NOT_BOUND,
                    "tls_client_auth needs a certificate the broker bound to this client.");
        }
        return principal;
    }

    /**
     * EST {@code simplereenroll} (RFC 7030 §4.2.2), where no path names the agent: the certificate
     * does. Runs the checks of {@link #authenticateTlsClient} for the agent the certificate's SPIFFE ID
     * names (a bound broker certificate is required; an external SVID or a DNS SAN identity is
     * refused with 403), then the second factor: an agent that holds a secret must also send it as
     * HTTP Basic {@code agent_id:secret} (401 {@code invalid_agent_credentials}), exactly as on the
     * JSON rotate route; an agent enrolled over EST never had one and proves itself by the
     * certificate alone. An agent whose secret an admin revoked cannot re-enroll. The agent must be
     * of {@code tenantId}, the tenant the request was addressed to (403 {@code client_certificate_wrong_tenant}).
     */
    public AgentPrincipal authenticateReenrollment(HttpRequest<?> request, String tenantId) {
        AgentPrincipal principal = authenticateTlsClient(request, agentNamedBy(certificates.presented(request)));
        Refusal refuse = new Refusal(principal.tenant().id(), principal.agent().id());
        refuse.x5t = Thumbprints.x5tS256(principal.certificate());
        if (!principal.tenant().id().equals(tenantId)) {
            throw refuse.of(ProblemType.CLIENT_CERTIFICATE_WRONG_TENANT,
                    "The certificate names an agent of another tenant than the one addressed.");
        }
        if (!principal.agent().enrolledWithoutSecret()) {
            checkSecret(request, principal.agent(), refuse);
        }
        return principal;
    }

    /** The agent id in the leaf's SPIFFE ID, or null (no certificate, no SPIFFE ID of the broker's form). */
    private static String agentNamedBy(List<X509Certificate> chain) {
        if (chain.isEmpty() || !(AgentIdentity.claimOf(chain.get(0)) instanceof AgentIdentity.Spiffe spiffe)) {
            return null;
        }
        return AgentIdentity.ofSpiffe(spiffe.id()).map(AgentIdentity::agentId).filter(AgentAuthenticator::isAgentId).orElse(null);
    }

    /** The agent a request names (when it exists), its tenant, and the refusal builder for both. */
    private record Caller(Agent agent, Tenant tenant, Refusal refuse) {
    }

    private Caller caller(String agentId) {
        Agent agent = isAgentId(agentId) ? agents.findById(agentId).orElse(null) : null;
        Tenant tenant = agent == null ? null : tenants.find(agent.tenantId()).orElse(null);
        return new Caller(agent, tenant, new Refusal(tenant == null ? null : tenant.id(), agent == null ? null : agent.id()));
    }

    /** Checks 2 to 6 of the class comment, on a presented chain (leaf first): {@link AgentCertificateChecks}. */
    private AgentPrincipal checkCertificate(List<X509Certificate> chain, Caller caller) {
        Refusal refuse = caller.refuse();
        Instant now = clock.instant();
        X509Certificate leaf = chain.get(0);
        refuse.x5t = Thumbprints.x5tS256(leaf);
        ChainValidator.Result chainResult = ChainValidator.validate(chain, anchors.anchorsFor(caller.tenant()), now,
                properties.getMaxChainLength());
        AgentCertificateChecks.Decision decision = AgentCertificateChecks.decide(chainResult, leaf, caller.agent(), caller.tenant(),
                properties.isAcceptExternalSvids(), refuse.x5t, now, bindings);
        if (decision instanceof AgentCertificateChecks.Refused refused) {
            throw refuse.of(refused.type(), refused.detail());
        }
        AgentCertificateChecks.Accepted accepted = (AgentCertificateChecks.Accepted) decision;
        return new AgentPrincipal(caller.agent(), caller.tenant(), accepted.binding(), leaf, accepted.method());
    }

    private static void checkSecret(HttpRequest<?> request, Agent agent, Refusal refuse) {
        BasicCredentials credentials = BasicCredentials.of(request).orElseThrow(refuse::badCredentials);
        if (!credentials.user().equals(agent.id()) || !SecretTokens.matches(credentials.password(), agent.secretHash())) {
            throw refuse.badCredentials();
        }
    }

    /**
     * Builds refusals that carry what the audit event records, and counts each one in
     * {@code broker.mtls.authentication.failures{tenant,reason}} (tenant {@code unknown} when the
     * request names no existing agent; never the agent id).
     */
    private final class Refusal {
        private final String tenantId;
        private final String agentId;
        private String x5t;

        Refusal(String tenantId, String agentId) {
            this.tenantId = tenantId;
            this.agentId = agentId;
        }

        AgentAuthenticationException of(ProblemType type, String detail) {
            count(type.code());
            return new AgentAuthenticationException(type, detail, tenantId, agentId, x5t);
        }

        private void count(String reason) {
            Counter.builder("broker.mtls.authentication.failures").description("refused callers of agent routes, by reason")
                    .tag("tenant", tenantId == null ? "unknown" : tenantId).tag("reason", reason)
                    .register(metrics).increment();
        }

        AgentAuthenticationException certificateRequired() {
            return of(ProblemType.CLIENT_CERTIFICATE_REQUIRED, "Agent routes require mutual TLS with the agent's certificate.");
        }

        AgentAuthenticationException badCredentials() {
            return of(ProblemType.INVALID_AGENT_CREDENTIALS,
                    "Send the agent secret as HTTP Basic credentials '<agent_id>:<secret>'.");
        }
    }

}
