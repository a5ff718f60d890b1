package io.identitybroker.agent;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.ids.TimeOrderedUuid;
import io.identitybroker.pki.SignedCertificate;
import io.identitybroker.security.SecretTokens;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Recording and reading agents and their bindings. */
@Singleton
public class AgentService {
    static final String SECRET_PREFIX = "ibas_";

    private final AgentRepository agents;
    private final CertificateBindingRepository bindings;
    private final AgentLookups lookups;
    private final Clock clock;

    /**
     * What enrollment supplies for a new agent.
     *
     * @param labels JSON object of string labels
     * @param scopes space-separated OAuth2 scopes
     */
    public record NewAgent(String agentId, String tenantId, String name, String spiffeId, String labels,
                           String scopes, String enrollmentTokenId) {
    }

    /** A freshly enrolled agent with the secret that exists only in this response (null when it got none). */
    public record Enrolled(Agent agent, CertificateBinding binding, @Nullable String secret) {
    }

    AgentService(AgentRepository agents, CertificateBindingRepository bindings, AgentLookups lookups, Clock clock) {
        this.agents = agents;
        this.bindings = bindings;
        this.lookups = lookups;
        this.clock = clock;
    }

    /** A fresh agent id; the broker, never the agent, chooses it. */
    public static String newAgentId() {
        return TimeOrderedUuid.next();
    }

    /** Inserts the agent, its secret's hash and its current binding inside the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Enrolled recordEnrollment(NewAgent a, SignedCertificate certificate) {
        return recordEnrollment(a, certificate, true);
    }

    /**
     * The same; with {@code withSecret} false the agent gets no secret at all (secret version 0, see
     * {@link Agent#enrolledWithoutSecret()}): its bound certificate is its only credential.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Enrolled recordEnrollment(NewAgent a, SignedCertificate certificate, boolean withSecret) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String secret = withSecret ? SecretTokens.generate(SECRET_PREFIX) : null;
        Agent agent = agents.save(new Agent(a.agentId(), a.tenantId(), a.name(), a.spiffeId(), AgentStatus.ACTIVE,
                a.labels(), a.scopes(), withSecret ? SecretTokens.hash(secret) : null, withSecret ? 1 : 0,
                a.enrollmentTokenId(), now, now, null));
        CertificateBinding binding = bindings.save(new CertificateBinding(TimeOrderedUuid.next(), agent.id(),
                a.tenantId(), certificate.serialNumber(), certificate.x5tS256(),
                certificate.notBefore(), certificate.notAfter(), BindingStatus.CURRENT, null, now, null, null));
        return new Enrolled(agent, binding, secret);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Agent> find(String tenantId, String agentId) {
        return agents.findByIdAndTenantId(agentId, tenantId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Agent require(String tenantId, String agentId) {
        return find(tenantId, agentId).orElseThrow(() -> new ProblemException(ProblemType.AGENT_NOT_FOUND, "No such agent."));
    }

    /** An agent by id alone, for agent routes (the id is a UUID, unique across tenants). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Agent> findById(String agentId) {
        return lookups.agent(agentId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<CertificateBinding> currentBinding(String agentId) {
        return bindings.findByAgentIdAndStatus(agentId, BindingStatus.CURRENT);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CertificateBinding> bindingsOf(String agentId) {
        return bindings.findByAgentIdOrderByCreatedAtDesc(agentId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<CertificateBinding> bindingByThumbprint(String x5tS256) {
        return lookups.binding(x5tS256);
    }

    /** Where a thumbprint stands (binding, agent and tenant status): one query on the unique index on x5t_s256. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<BoundCertificate> boundCertificate(String x5tS256) {
        return lookups.standing(x5tS256);
    }
}
