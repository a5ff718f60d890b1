package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.mtls.SpiffeId;
import io.identitybroker.pki.PkiBackend;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Creating, reading and suspending tenants. */
@Singleton
public class TenantService {
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern MOUNT = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);
    /** How long a mount's CRL/OCSP URLs are reused: they change only when an operator rewrites config/urls. */
    private static final Duration URLS_TTL = Duration.ofMinutes(5);

    private record CachedUrls(PkiBackend.PkiUrls urls, Instant until) {
    }

    private final TenantRepository tenants;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher<TenantChanged> events;
    private final Map<String, CachedUrls> urls = new ConcurrentHashMap<>();

    public TenantService(TenantRepository tenants, PkiBackend pki, AuditLog audit, Clock clock,
                         ApplicationEventPublisher<TenantChanged> events) {
        this.tenants = tenants;
        this.pki = pki;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    public Tenant create(TenantRequests.Create request, RequestContext ctx) {
        if (request.id() == null || !ID.matcher(request.id()).matches()) {
            throw invalid("id must match [a-z0-9][a-z0-9-]{0,62}.");
        }
        if (!SpiffeId.isTrustDomain(request.trustDomain())) {
            throw invalid("trust_domain must be a SPIFFE trust domain (lowercase letters, digits, '.', '-', '_').");
        }
        String displayName = displayName(request.displayName() == null ? request.id() : request.displayName());
        String mount = request.pkiMount() == null ? "pki-tenants/" + request.id() : request.pkiMount();
        String role = request.pkiRole() == null ? "agent" : request.pkiRole();
        if (!MOUNT.matcher(mount).matches() || mount.length() > 255 || !ROLE.matcher(role).matches()) {
            throw invalid("pki_mount and pki_role must be plain Vault path segments.");
        }
        if (tenants.existsById(request.id())) {
            throw new ProblemException(HttpStatus.CONFLICT, "tenant_exists", "Conflict", "A tenant with this id exists.");
        }
        PkiBackend.RoleSettings settings = pki.role(mount, role).orElseThrow(() -> new ProblemException(
                HttpStatus.UNPROCESSABLE_ENTITY, "pki_role_not_found", "Unprocessable",
                "Vault has no PKI role '" + role + "' on mount '" + mount + "' that the broker may use."));
        if (settings.useCsrSans() || settings.useCsrCommonName()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "pki_role_unsafe", "Unprocessable",
                    "The PKI role must set use_csr_sans=false and use_csr_common_name=false.");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Tenant tenant = tenants.save(new Tenant(request.id(), displayName, request.trustDomain(), mount, role,
                TenantStatus.ACTIVE, now, now, Boolean.TRUE.equals(request.allowDnsSan())));
        audit.append(AuditRecord.success("tenant.created", tenant.id(), tenant.id(), ctx)
                .with("trust_domain", tenant.trustDomain()).with("pki_mount", mount).with("pki_role", role)
                .with("allow_dns_san", tenant.allowDnsSan()));
        events.publishEvent(new TenantChanged(tenant));
        return tenant;
    }

    @Transactional
    public Tenant update(String id, TenantRequests.Update request, RequestContext ctx) {
        Tenant tenant = require(id);
        TenantStatus status = tenant.status();
        if (request.status() != null) {
            try {
                status = TenantStatus.fromJson(request.status());
            } catch (IllegalArgumentException e) {
                throw invalid("status must be 'active' or 'suspended'.");
            }
        }
        String displayName = request.displayName() == null ? tenant.displayName() : displayName(request.displayName());
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

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Tenant> find(String id) {
        return id == null || !ID.matcher(id).matches() ? Optional.empty() : tenants.findById(id);
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
        Instant now = clock.instant();
        CachedUrls cached = urls.get(tenant.pkiMount());
        if (cached == null || !now.isBefore(cached.until())) {
            try {
                cached = new CachedUrls(pki.urls(tenant.pkiMount()), now.plus(URLS_TTL));
                urls.put(tenant.pkiMount(), cached);
            } catch (RuntimeException e) {
                LOG.warn("Cannot read the PKI URLs of {}: {}", tenant.pkiMount(), e.getClass().getSimpleName());
                return TenantView.of(tenant, PkiBackend.PkiUrls.NONE);
            }
        }
        return TenantView.of(tenant, cached.urls());
    }

    private static String displayName(String value) {
        if (value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid("display_name must be 1-200 printable characters.");
        }
        return value;
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid_tenant", detail);
    }
}
