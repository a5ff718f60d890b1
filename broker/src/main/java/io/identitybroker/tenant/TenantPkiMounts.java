package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.HttpStatus;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A PKI mount serves exactly one tenant, because tenant isolation on mTLS rests on distinct
 * issuing CAs: the first tenant to use a mount owns it for good ({@code pki_mount_owners}, whose
 * primary key makes the claim race-safe across replicas on one PostgreSQL), and another tenant's
 * claim is 409 {@code pki_mount_in_use}. Data from before the rule that breaks it is reported at
 * start, one line per tenant, and left as it is for an operator to move.
 */
@Singleton
public class TenantPkiMounts implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TenantPkiMounts.class);

    private final TransactionOperations<Connection> transactions;

    public TenantPkiMounts(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /**
     * Claims {@code mount} for {@code tenantId} inside the caller's transaction.
     *
     * @throws ProblemException 409 {@code pki_mount_in_use} when another tenant owns it
     */
    void claim(String mount, String tenantId) {
        String owner = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO pki_mount_owners (pki_mount, tenant_id) "
                    + "SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM pki_mount_owners WHERE pki_mount = ?)")) {
                insert.setString(1, mount);
                insert.setString(2, tenantId);
                insert.setString(3, mount);
                if (insert.executeUpdate() == 1) {
                    return tenantId;
                }
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return null; // another replica claimed it a moment ago
                }
                throw new IllegalStateException("PKI mount claim failed", e);
            }
            return ownerOf(c, mount);
        });
        if (!tenantId.equals(owner)) {
            throw new ProblemException(HttpStatus.CONFLICT, "pki_mount_in_use", "Conflict",
                    "This PKI mount already serves another tenant; each tenant needs its own mount and issuing CA.");
        }
    }

    private static String ownerOf(Connection c, String mount) {
        try (PreparedStatement select = c.prepareStatement("SELECT tenant_id FROM pki_mount_owners WHERE pki_mount = ?")) {
            select.setString(1, mount);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PKI mount owner lookup failed", e);
        }
    }

    /** Reports tenants on a mount another tenant owns (possible only in data older than the rule). */
    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        try {
            transactions.executeRead(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement("""
                        SELECT t.id, t.pki_mount, o.tenant_id FROM tenants t
                        LEFT JOIN pki_mount_owners o ON o.pki_mount = t.pki_mount
                        WHERE o.tenant_id IS NULL OR o.tenant_id <> t.id ORDER BY t.id""");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LOG.warn("Tenant {} shares PKI mount {} with tenant {}: tenant isolation on mTLS needs one mount "
                                        + "(and issuing CA) per tenant; move it to its own mount (nothing was changed)",
                                rs.getString(1), rs.getString(2), rs.getString(3));
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("PKI mount ownership not checked at start: {}", e.getClass().getSimpleName());
        }
    }
}
