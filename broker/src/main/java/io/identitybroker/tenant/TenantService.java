package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.cache.ExpiringCache;
import io.identitybroker.database.RowLookup;
import io.identitybroker.pki.PkiBackend;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The read side of tenants: finding one (an unknown id declared in Vault KV is synced first, through
 * {@link TenantSync}), listing them, and the view the API shows. Writes are elsewhere, so the read
 * side needs no provider to break a loop: {@link TenantLifecycleService} for the admin API and
 * {@link TenantSync} for Vault KV declarations, both through {@link TenantWriter}.
 */
@Singleton
public class TenantService {
    private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);
    /** How long a mount's CRL/OCSP URLs are reused: they change only when an operator rewrites config/urls. */
    private static final Duration URLS_TTL = Duration.ofMinutes(5);

    /** Mounts whose URLs are kept; a broker has far fewer. */
    private static final int MAX_MOUNTS = 10_000;
    /** Every request that names a tenant reads it: plain JDBC ({@link RowLookup}), columns in {@link #tenant}'s order. */
    private static final String BY_ID = """
            SELECT id, display_name, trust_domain, pki_mount, pki_role, status, created_at, updated_at, allow_dns_san, source
            FROM tenants WHERE id = ?""";

    private final TenantRepository tenants;
    private final RowLookup rows;
    private final PkiBackend pki;
    private final Clock clock;
    private final ExpiringCache<String, PkiBackend.PkiUrls> urls;
    private final TenantSync sync;

    public TenantService(TenantRepository tenants, RowLookup rows, PkiBackend pki, Clock clock, TenantSync sync) {
        this.tenants = tenants;
        this.rows = rows;
        this.sync = sync;
        this.pki = pki;
        this.clock = clock;
        this.urls = new ExpiringCache<>(URLS_TTL, MAX_MOUNTS, clock);
    }

    /** The tenant; an unknown id that is declared in Vault KV is synced first (when that source is on). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Tenant> find(String id) {
        if (id == null || !TenantDeclaration.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Optional<Tenant> tenant = byId(id);
        if (tenant.isEmpty() && sync.enabled()) {
            sync.syncOne(id);
            return byId(id);
        }
        return tenant;
    }

    private Optional<Tenant> byId(String id) {
        return rows.one(BY_ID, id, TenantService::tenant);
    }

    private static Tenant tenant(ResultSet rs) throws SQLException {
        return new Tenant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                TenantStatus.valueOf(rs.getString(6)), RowLookup.instant(rs, 7), RowLookup.instant(rs, 8),
                rs.getBoolean(9), rs.getString(10));
    }

    /** The tenant, or the same 404 as for a tenant the caller may not see. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Tenant require(String id) {
        return find(id).orElseThrow(() -> new ProblemException(ProblemType.TENANT_NOT_FOUND, "No such tenant."));
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
}
