package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.cache.ExpiringCache;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Keeps tenants declared in Vault KV in step with their declarations: new ones are created,
 * changed ones updated, removed ones suspended (never deleted), each change with its audit event.
 * Runs on start, periodically, and when an unknown tenant is referenced. A synced tenant's trust
 * domain never changes (its agents' identities depend on it), and tenants created through the API
 * are never touched. Safe with several replicas: each change is its own small transaction and a
 * lost insert race is simply the other replica's success.
 */
@Singleton
public class TenantSync implements ApplicationEventListener<ServerStartupEvent> {
    /** The schedule: {@code broker.tenants.sync-interval} with its default. */
    private static final String INTERVAL = "${" + TenantSyncConfigurationProperties.PREFIX + ".sync-interval:"
            + TenantSyncConfigurationProperties.DEFAULT_SYNC_INTERVAL + "}";
    private static final Logger LOG = LoggerFactory.getLogger(TenantSync.class);
    private static final String ACTOR = "vault-kv-sync";
    private static final Duration MISS_BACKOFF = Duration.ofSeconds(5);

    private final TenantSyncConfiguration properties;
    private final TenantDeclarationSource declarations;
    private final TenantRepository tenants;
    private final TenantWriter writer;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    /** Ids looked up within {@link #MISS_BACKOFF}, so a stream of bad ids cannot hammer Vault. */
    private final ExpiringCache<String, Boolean> recentLookups;

    public TenantSync(TenantSyncConfiguration properties, TenantDeclarationSource declarations, TenantRepository tenants,
                      TenantWriter writer, AuditLog audit, TransactionOperations<Connection> transactions,
                      Clock clock) {
        this.properties = properties;
        this.declarations = declarations;
        this.tenants = tenants;
        this.writer = writer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.recentLookups = new ExpiringCache<>(MISS_BACKOFF, 10_000, clock);
    }

    public boolean enabled() {
        return properties.vaultKvEnabled();
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        scheduledSync();
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void scheduledSync() {
        if (!enabled()) {
            return;
        }
        try {
            syncAll();
        } catch (RuntimeException e) {
            LOG.warn("Tenant declarations not synced: {}", e.getMessage());
        }
    }

    /** One full pass over the declarations. */
    public void syncAll() {
        Map<String, Map<String, String>> declared = declarations.all();
        RequestContext ctx = context();
        declared.forEach((id, fields) -> apply(id, fields, ctx));
        for (Tenant t : tenants.findBySourceAndStatus(Tenant.SOURCE_VAULT_KV, TenantStatus.ACTIVE)) {
            if (!declared.containsKey(t.id())) {
                transactions.executeWrite(status -> {
                    if (tenants.updateDeclared(t.id(), t.displayName(), t.pkiMount(), t.pkiRole(), TenantStatus.SUSPENDED,
                            now()) == 1) {
                        audit.append(AuditRecord.success("tenant.updated", t.id(), t.id(), ctx)
                                .with("status_from", "active").with("status_to", "suspended")
                                .with("display_name_changed", false).with("reason", "declaration_removed"));
                        writer.changed(t.id());
                    }
                    return null;
                });
            }
        }
    }

    /** Looks one unknown id up (at most every few seconds per id). */
    void syncOne(String id) {
        if (recentLookups.getIfPresent(id) != null) {
            return;
        }
        recentLookups.put(id, Boolean.TRUE);
        try {
            declarations.find(id).ifPresent(fields -> apply(id, fields, context()));
        } catch (RuntimeException e) {
            LOG.warn("Tenant declaration {} not synced: {}", id, e.getMessage());
        }
    }

    private void apply(String id, Map<String, String> fields, RequestContext ctx) {
        try {
            TenantDeclaration d = TenantDeclarationSource.parse(id, fields);
            transactions.executeWrite(status -> {
                Tenant existing = tenants.findById(id).orElse(null);
                if (existing == null) {
                    writer.insert(d, "true".equals(fields.get("allow_dns_san")), Tenant.SOURCE_VAULT_KV, ctx);
                    LOG.info("Tenant {} created from its Vault KV declaration", id);
                } else if (!Tenant.SOURCE_VAULT_KV.equals(existing.source())) {
                    LOG.warn("Tenant {} is declared in Vault KV but was created through the API; the declaration is ignored", id);
                } else if (!Objects.equals(d.trustDomain(), existing.trustDomain())) {
                    LOG.warn("Tenant {}: its declaration changes the trust domain, which never changes; ignored", id);
                } else if (!d.sameAs(existing) || existing.status() != TenantStatus.ACTIVE) {
                    if (!d.pkiMount().equals(existing.pkiMount()) || !d.pkiRole().equals(existing.pkiRole())) {
                        writer.requireUsableRole(d.pkiMount(), d.pkiRole());
                        writer.claimMount(d.pkiMount(), id);
                    }
                    tenants.updateDeclared(id, d.displayName(), d.pkiMount(), d.pkiRole(), TenantStatus.ACTIVE, now());
                    audit.append(AuditRecord.success("tenant.updated", id, id, ctx)
                            .with("status_from", existing.status().json()).with("status_to", "active")
                            .with("display_name_changed", !d.displayName().equals(existing.displayName()))
                            .with("pki_mount", d.pkiMount()).with("pki_role", d.pkiRole()));
                    writer.changed(id);
                }
                return null;
            });
        } catch (ProblemException e) {
            LOG.warn("Tenant declaration {} rejected: {}", id, e.detail());
        } catch (RuntimeException e) {
            // Most likely another replica inserted the same tenant first.
            LOG.info("Tenant declaration {} not applied here: {}", id, e.getClass().getSimpleName());
        }
    }

    private RequestContext context() {
        return new RequestContext(ACTOR, "tenant-sync-" + UUID.randomUUID());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
