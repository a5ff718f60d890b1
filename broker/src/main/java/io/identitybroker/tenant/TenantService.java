package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.cache.ExpiringCache;
import io.identitybroker.pki.PkiBackend;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Creating, reading and suspending tenants. */
@Singleton
public class TenantService {
    private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);
    /** How long a mount's CRL/OCSP URLs are reused: they change only when an operator rewrites config/urls. */
    private static final Duration URLS_TTL = Duration.ofMinutes(5);

    /** Mounts whose URLs are kept; a broker has far fewer. */
    private static final int MAX_MOUNTS = 10_000;

    private final TenantRepository tenants;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher<TenantChanged> events;
    private final ExpiringCache<String, PkiBackend.PkiUrls> urls;
    /** A provider: the sync also needs this service, and only some lookups need the sync. */
    private final Provider<TenantSync> sync;
    private final TenantPkiOwnership mounts;

    public TenantService(TenantRepository tenants, PkiBackend pki, AuditLog audit, Clock clock,
                         ApplicationEventPublisher<TenantChanged> events, Provider<TenantSync> sync, TenantPkiOwnership mounts) {
        this.tenants = tenants;
        this.mounts = mounts;
        this.sync = sync;
        this.pki = pki;
        this.audit = audit;
        this.clock = clock;
        this.urls = new ExpiringCache<>(URLS_TTL, MAX_MOUNTS, clock);
        this.events = events;
    }

    @Transactional
    public Tenant create(TenantRequests.Create request, RequestContext ctx) {
        TenantDeclaration d = TenantDeclaration.of(request.id(), request.displayName(), request.trustDomain(),
                request.pkiMount(), request.pkiRole());
        if (tenants.existsById(d.id())) {
            throw new ProblemException(HttpStatus.CONFLICT, "tenant_exists", "Conflict", "A tenant with this id exists.");
        }
        return insert(d, Boolean.TRUE.equals(request.allowDnsSan()), Tenant.SOURCE_API, ctx);
    }

    /** Inserts a validated declaration after checking its PKI role in Vault; audits {@code tenant.created}. */
    @Transactional(Transactional.TxType.MANDATORY)
    Tenant insert(TenantDeclaration d, boolean allowDnsSan, String source, RequestContext ctx) {
        requireUsableRole(d.pkiMount(), d.pkiRole());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Tenant tenant = tenants.save(new Tenant(d.id(), d.displayName(), d.trustDomain(), d.pkiMount(), d.pkiRole(),
                TenantStatus.ACTIVE, now, now, allowDnsSan, source));
        mounts.claim(d.pkiMount(), d.id());
        audit.append(AuditRecord.success("tenant.created", tenant.id(), tenant.id(), ctx)
                .with("trust_domain", tenant.trustDomain()).with("pki_mount", tenant.pkiMount())
                .with("pki_role", tenant.pkiRole()).with("allow_dns_san", allowDnsSan).with("source", source));
        events.publishEvent(new TenantChanged(tenant));
        return tenant;
    }

    /** Tells listeners (trust anchors) that a tenant changed outside {@link #update}. */
    void changed(String id) {
        tenants.findById(id).ifPresent(t -> events.publishEvent(new TenantChanged(t)));
    }

    /** Claims a declared tenant's new mount (409 {@code pki_mount_in_use} when another tenant owns it). */
    void claimMount(String mount, String tenantId) {
        mounts.claim(mount, tenantId);
    }

    /** The role must exist where the broker may sign with it, and must not let the CSR choose the identity. */
    void requireUsableRole(String mount, String role) {
        PkiBackend.RoleSettings settings = pki.role(mount, role).orElseThrow(() -> new ProblemException(
                HttpStatus.UNPROCESSABLE_ENTITY, "pki_role_not_found", "Unprocessable",
                "Vault has no PKI role '" + role + "' on mount '" + mount + "' that the broker may use."));
        if (settings.useCsrSans() || settings.useCsrCommonName()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "pki_role_unsafe", "Unprocessable",
                    "The PKI role must set use_csr_sans=false and use_csr_common_name=false.");
        }
    }

    @Transactional
    public Tenant update(String id, TenantRequests.Update request, RequestContext ctx) {
        Tenant tenant = require(id);
        if (Tenant.SOURCE_VAULT_KV.equals(tenant.source()) && request.status() != null) {
            throw new ProblemException(HttpStatus.CONFLICT, "tenant_declared_in_vault", "Conflict",
                    "This tenant is declared in Vault KV; change or remove its declaration there.");
        }
        TenantStatus status = tenant.status();
        if (request.status() != null) {
            try {
                status = TenantStatus.fromJson(request.status());
            } catch (IllegalArgumentException e) {
                throw invalid("status must be 'active' or 'suspended'.");
            }
        }
        String displayName = request.displayName() == null ? tenant.displayName() : TenantDeclaration.displayName(request.displayName());
        boolean allowDnsSan = request.allowDnsSan() == null ? tenant.allowDnsSan() : request.allowDnsSan();
        tenants.update(id, status, displayName, allowDnsSan, clock.instant().truncatedTo(ChronoUnit.MICROS));
        audit.append(AuditRecord.success("tenant.updated", id, id, ctx)
                .with("status_from", tenant.status().json()).with("status_to", status.json())
                .with("display_name_changed", !displayName.equals(tenant.displayName()))
                .with("allow_dns_san", allowDnsSan));
        Tenant updated = require(id);
        events.publishEvent(new TenantChanged(updated));
        return updated;
    }

    /** The tenant; an unknown id that is declared in Vault KV is synced first (when that source is on). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Tenant> find(String id) {
        if (id == null || !TenantDeclaration.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Optional<Tenant> tenant = tenants.findById(id);
        if (tenant.isEmpty() && sync.get().enabled()) {
            sync.get().syncOne(id);
            return tenants.findById(id);
        }
        return tenant;
    }

    /** The tenant, or the same 404 as for a tenant the caller may not see. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Tenant require(String id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("tenant_not_found", "No such tenant."));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Tenant> all() {
        return tenants.findAllOrderById();
    }

    /**
     * The tenant as the API shows it, with its mount's CRL and OCSP URLs (cached per mount). When
     * Vault cannot be asked, the URLs are left out rather than failing the read.
     */
    public TenantView view(Tenant tenant) {
        try {
            return TenantView.of(tenant, urls.get(tenant.pkiMount(), pki::urls));
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the PKI URLs of {}: {}", tenant.pkiMount(), e.getClass().getSimpleName());
            return TenantView.of(tenant, PkiBackend.PkiUrls.NONE);
        }
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid_tenant", detail);
    }
}
