package io.identitybroker.federation;

import io.identitybroker.agent.TokenAttributes;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.ids.TimeOrderedUuid;
import io.identitybroker.tenant.TenantService;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Registering, changing and removing a tenant's external clients. The SPIFFE ID (or pattern) is
 * parsed strictly and must belong to a declared foreign trust domain; it is fixed at registration.
 * Each change is audited on the tenant's chain in the same transaction
 * ({@code external_client.registered}, {@code .changed}, {@code .removed}).
 */
@Singleton
public class ExternalClientService {
    /** External client ids differ from agent ids at a glance, so a token request for an agent costs no lookup here. */
    static final String ID_PREFIX = "xc-";
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(
            "xc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ExternalClientRepository clients;
    private final TrustDomainRepository trustDomains;
    private final TenantService tenants;
    private final FederationConfiguration properties;
    private final AuditLog audit;
    private final Clock clock;

    public ExternalClientService(ExternalClientRepository clients, TrustDomainRepository trustDomains, TenantService tenants,
                                 FederationConfiguration properties, AuditLog audit, Clock clock) {
        this.clients = clients;
        this.trustDomains = trustDomains;
        this.tenants = tenants;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public ExternalClient register(String tenant, ExternalClientRequests.Register r, RequestContext ctx) {
        tenants.require(tenant);
        SpiffeIdPattern pattern;
        try {
            pattern = SpiffeIdPattern.parse(r == null ? null : r.spiffeId());
        } catch (IllegalArgumentException e) {
            throw invalid("spiffe_id must be a SPIFFE ID, or a SPIFFE ID followed by '/*' (one more path segment).");
        }
        if (trustDomains.findById(pattern.trustDomain()).isEmpty()) {
            throw new ProblemException(ProblemType.TRUST_DOMAIN_UNDECLARED,
                    "The SPIFFE ID's trust domain is not a declared foreign trust domain.");
        }
        String spiffeId = pattern.toString();
        if (clients.existsByTenantIdAndSpiffeId(tenant, spiffeId)) {
            throw new ProblemException(ProblemType.EXTERNAL_CLIENT_EXISTS,
                    "This tenant already has an external client for this SPIFFE ID.");
        }
        String name = attribute(() -> TokenAttributes.agentName(r.name()));
        String scopes = attribute(() -> TokenAttributes.scopes(r.scopes()));
        String labels = attribute(() -> TokenAttributes.labelsJson(r.labels()));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ExternalClient c = clients.save(new ExternalClient(ID_PREFIX + TimeOrderedUuid.next(), tenant, pattern.trustDomain(), spiffeId,
                name, labels, scopes, now, now));
        audit.append(AuditRecord.success("external_client.registered", tenant, c.id(), ctx)
                .with("spiffe_id", spiffeId).with("trust_domain", c.trustDomain()).with("scopes", scopes));
        return c;
    }

    @Transactional
    public ExternalClient change(String tenant, String clientId, ExternalClientRequests.Change r, RequestContext ctx) {
        ExternalClient c = require(tenant, clientId);
        if (r == null) {
            throw invalid("A JSON body is required.");
        }
        String name = r.name() == null ? c.name() : attribute(() -> TokenAttributes.agentName(r.name()));
        String scopes = r.scopes() == null ? c.scopes() : attribute(() -> TokenAttributes.scopes(r.scopes()));
        String labels = r.labels() == null ? c.labels() : attribute(() -> TokenAttributes.labelsJson(r.labels()));
        ExternalClient changed = clients.update(new ExternalClient(c.id(), c.tenantId(), c.trustDomain(), c.spiffeId(), name,
                labels, scopes, c.createdAt(), clock.instant().truncatedTo(ChronoUnit.MICROS)));
        audit.append(AuditRecord.success("external_client.changed", tenant, c.id(), ctx)
                .with("spiffe_id", c.spiffeId()).with("scopes", scopes).with("labels_changed", !labels.equals(c.labels())));
        return changed;
    }

    /** Removes the client; tokens it holds stop introspecting as active at once. */
    @Transactional
    public void remove(String tenant, String clientId, RequestContext ctx) {
        ExternalClient c = require(tenant, clientId);
        clients.delete(c);
        audit.append(AuditRecord.success("external_client.removed", tenant, c.id(), ctx).with("spiffe_id", c.spiffeId()));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ExternalClient> list(String tenant) {
        tenants.require(tenant);
        return clients.recentOfTenant(tenant);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ExternalClient require(String tenant, String clientId) {
        tenants.require(tenant);
        return (isClientId(clientId) ? clients.findByIdAndTenantId(clientId, tenant) : Optional.<ExternalClient>empty())
                .orElseThrow(() -> new ProblemException(ProblemType.EXTERNAL_CLIENT_NOT_FOUND, "No such external client."));
    }

    /** The client a token request names, if that id is an external client's. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ExternalClient> findById(String clientId) {
        return isClientId(clientId) ? clients.findById(clientId) : Optional.empty();
    }

    /**
     * Whether a token issued to this client for {@code spiffeId} still stands: the client is still
     * registered in that tenant, the ID still matches it, and the tenant is active.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean standing(String clientId, String tenant, String spiffeId) {
        Optional<ExternalClient> c = findById(clientId);
        if (c.isEmpty() || !c.get().tenantId().equals(tenant)) {
            return false;
        }
        try {
            if (!c.get().pattern().matches(io.identitybroker.ids.SpiffeId.parse(spiffeId))) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return tenants.find(tenant).map(io.identitybroker.tenant.Tenant::isActive).orElse(false);
    }

    /** A syntactically valid external client id ({@code xc-<uuid>}), safe to record as an audit subject. */
    public static boolean isClientId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    public ExternalClientView view(ExternalClient c) {
        return ExternalClientView.of(c, List.of(properties.getX509MethodName(), properties.getJwtMethodName()));
    }

    private static String attribute(Supplier<String> check) {
        try {
            return check.get();
        } catch (ProblemException e) {
            throw invalid(e.detail());
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_EXTERNAL_CLIENT, detail);
    }
}
