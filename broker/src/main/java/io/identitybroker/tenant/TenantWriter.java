package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.pki.PkiBackend;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The tenant writes the admin API ({@link TenantLifecycleService}) and the Vault KV sync
 * ({@link TenantSync}) share: inserting a validated declaration, checking a PKI role, claiming a
 * mount, telling listeners. Each runs inside its caller's transaction; a refused role or a mount
 * another tenant owns is a 4xx problem and nothing is written.
 */
@Singleton
public class TenantWriter {
    private final TenantRepository tenants;
    private final PkiBackend pki;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher<TenantChanged> events;
    private final TenantPkiOwnership mounts;

    public TenantWriter(TenantRepository tenants, PkiBackend pki, AuditLog audit, Clock clock,
                        ApplicationEventPublisher<TenantChanged> events, TenantPkiOwnership mounts) {
        this.tenants = tenants;
        this.mounts = mounts;
        this.pki = pki;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
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

    /** Tells listeners (trust anchors) that a tenant changed outside {@link TenantLifecycleService#update}. */
    void changed(String id) {
        tenants.findById(id).ifPresent(t -> events.publishEvent(new TenantChanged(t)));
    }

    /** Claims a declared tenant's new mount (409 {@code pki_mount_in_use} when another tenant owns it). */
    void claimMount(String mount, String tenantId) {
        mounts.claim(mount, tenantId);
    }

    /** The role must exist where the broker may sign with it, and must not let the CSR choose the identity. */
    void requireUsableRole(String mount, String role) {
        PkiBackend.RoleSettings settings = pki.role(mount, role).orElseThrow(() -> new ProblemException(ProblemType.PKI_ROLE_NOT_FOUND,
                "Vault has no PKI role '" + role + "' on mount '" + mount + "' that the broker may use."));
        if (settings.useCsrSans() || settings.useCsrCommonName()) {
            throw new ProblemException(ProblemType.PKI_ROLE_UNSAFE,
                    "The PKI role must set use_csr_sans=false and use_csr_common_name=false.");
        }
    }
}
