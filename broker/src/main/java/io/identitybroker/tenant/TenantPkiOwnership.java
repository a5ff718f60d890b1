package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.pki.Thumbprints;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A PKI mount, and the issuing CA behind it, serve exactly one tenant, because tenant isolation on
 * mTLS rests on distinct issuing CAs. The first tenant to use a mount owns it for good
 * ({@code pki_mount_owners}), and so does the first tenant whose mount's issuing CA (the first
 * certificate of {@code <mount>/cert/ca_chain}, by SHA-256) is a given certificate
 * ({@code pki_issuer_owners}): two mounts share an issuer only when someone imported one CA into
 * both. Each claim is an insert whose primary key makes it race-safe across replicas on one
 * PostgreSQL; another tenant's claim is 409 {@code pki_mount_in_use} / {@code pki_issuer_in_use}
 * and rolls the whole creation back. Only the issuer a mount has when it is claimed is compared.
 * Data from before the rule that breaks it is reported at start, one line per tenant, and left as
 * it is for an operator to move.
 */
@Singleton
public class TenantPkiOwnership implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TenantPkiOwnership.class);
    private static final String ISOLATION = "tenant isolation on mTLS needs one mount and issuing CA per tenant; "
            + "move it to its own mount (nothing was changed)";

    private final TransactionOperations<Connection> transactions;
    private final PkiBackend pki;

    public TenantPkiOwnership(TransactionOperations<Connection> transactions, PkiBackend pki) {
        this.transactions = transactions;
        this.pki = pki;
    }

    /**
     * Claims {@code mount} and its current issuing CA for {@code tenantId}, inside the caller's transaction.
     *
     * @throws ProblemException 409 when another tenant owns either; 503 when Vault cannot tell the issuer
     */
    void claim(String mount, String tenantId) {
        if (!tenantId.equals(claim("pki_mount_owners", "pki_mount", mount, tenantId))) {
            throw conflict(ProblemType.PKI_MOUNT_IN_USE,
                    "This PKI mount already serves another tenant; each tenant needs its own mount.");
        }
        if (!tenantId.equals(claim("pki_issuer_owners", "issuer_x5t_s256", issuerOf(mount), tenantId))) {
            throw conflict(ProblemType.PKI_ISSUER_IN_USE,
                    "This PKI mount's issuing CA already issues for another tenant; each tenant needs its own issuing CA.");
        }
    }

    private String issuerOf(String mount) {
        List<X509Certificate> chain = pki.caChain(mount);
        if (chain.isEmpty()) {
            throw new ProblemException(ProblemType.PKI_ROLE_NOT_FOUND, "The PKI mount has no issuing CA.");
        }
        return Thumbprints.x5tS256(chain.get(0));
    }

    /** Inserts the claim unless one exists; returns the owner afterwards. */
    private String claim(String table, String column, String key, String tenantId) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + column + ", tenant_id) "
                    + "SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + column + " = ?)")) {
                insert.setString(1, key);
                insert.setString(2, tenantId);
                insert.setString(3, key);
                if (insert.executeUpdate() == 1) {
                    return tenantId;
                }
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return null; // another replica claimed it a moment ago; its transaction rolls ours back
                }
                throw new IllegalStateException("PKI ownership claim failed", e);
            }
            try (PreparedStatement select = c.prepareStatement("SELECT tenant_id FROM " + table + " WHERE " + column + " = ?")) {
                select.setString(1, key);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("PKI ownership lookup failed", e);
            }
        });
    }

    private static ProblemException conflict(ProblemType type, String detail) {
        return new ProblemException(type, detail);
    }

    /**
     * Reports tenants on a mount another tenant owns (possible only in data older than the rule), and
     * claims the issuers of tenants that have none yet (those older tenants), reporting conflicts.
     */
    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        List<String[]> unclaimedIssuers = new ArrayList<>();
        try {
            transactions.executeRead(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement("""
                        SELECT t.id, t.pki_mount, o.tenant_id FROM tenants t
                        LEFT JOIN pki_mount_owners o ON o.pki_mount = t.pki_mount
                        WHERE o.tenant_id IS NULL OR o.tenant_id <> t.id ORDER BY t.id""");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LOG.warn("Tenant {} shares PKI mount {} with tenant {}: " + ISOLATION,
                                rs.getString(1), rs.getString(2), rs.getString(3));
                    }
                }
                try (PreparedStatement ps = status.getConnection().prepareStatement("""
                        SELECT t.id, t.pki_mount FROM tenants t
                        WHERE NOT EXISTS (SELECT 1 FROM pki_issuer_owners i WHERE i.tenant_id = t.id)
                        ORDER BY t.created_at, t.id""");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unclaimedIssuers.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("PKI mount ownership not checked at start: {}", e.getClass().getSimpleName());
            return;
        }
        for (String[] tenant : unclaimedIssuers) {
            try {
                String issuer = issuerOf(tenant[1]);
                String owner = transactions.executeWrite(status -> claim("pki_issuer_owners", "issuer_x5t_s256", issuer, tenant[0]));
                if (owner != null && !owner.equals(tenant[0])) {
                    LOG.warn("Tenant {} (PKI mount {}) shares its issuing CA with tenant {}: " + ISOLATION,
                            tenant[0], tenant[1], owner);
                }
            } catch (RuntimeException e) {
                LOG.warn("Issuing CA of tenant {} not checked at start: {}", tenant[0], e.getClass().getSimpleName());
            }
        }
    }
}
