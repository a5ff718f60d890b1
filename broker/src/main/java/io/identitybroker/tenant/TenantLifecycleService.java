package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * The write side of the tenant admin API: creating a tenant and changing its name, status or DNS
 * SAN setting, each in one transaction with its audit event, then telling listeners (trust
 * anchors). A tenant declared in Vault KV cannot be suspended or resumed here (409
 * {@code tenant_declared_in_vault}); reads go through {@link TenantService}.
 */
@Singleton
public class TenantLifecycleService {
    private final TenantRepository tenants;
    private final TenantService reads;
    private final TenantWriter writer;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher<TenantChanged> events;

    public TenantLifecycleService(TenantRepository tenants, TenantService reads, TenantWriter writer, AuditLog audit,
                                  Clock clock, ApplicationEventPublisher<TenantChanged> events) {
        this.tenants = tenants;
        this.reads = reads;
        this.writer = writer;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    public Tenant create(TenantRequests.Create request, RequestContext ctx) {
        TenantDeclaration d = TenantDeclaration.of(request.id(), request.displayName(), request.trustDomain(),
                request.pkiMount(), request.pkiRole());
        if (tenants.existsById(d.id())) {
            throw new ProblemException(ProblemType.TENANT_EXISTS, "A tenant with this id exists.");
        }
        return writer.insert(d, Boolean.TRUE.equals(request.allowDnsSan()), Tenant.SOURCE_API, ctx);
    }

    @Transactional
    public Tenant update(String id, TenantRequests.Update request, RequestContext ctx) {
        Tenant tenant = reads.require(id);
        if (Tenant.SOURCE_VAULT_KV.equals(tenant.source()) && request.status() != null) {
            throw new ProblemException(ProblemType.TENANT_DECLARED_IN_VAULT,
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
        Tenant updated = reads.require(id);
        events.publishEvent(new TenantChanged(updated));
        return updated;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_TENANT, detail);
    }
}
