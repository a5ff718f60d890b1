package io.identitybroker.agent;

import io.identitybroker.database.RowLookup;
import io.identitybroker.tenant.TenantStatus;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import static io.identitybroker.database.RowLookup.instant;

/**
 * The reads every agent request makes, each one plain JDBC query on a unique key
 * ({@link RowLookup}): the agent by id and the binding by thumbprint (mTLS on agent routes and at
 * the token endpoint), and where a thumbprint stands (introspection). They return exactly what
 * {@link AgentRepository} and {@link CertificateBindingRepository} would, without their generic
 * row mapping. The column lists below are the order each mapper reads.
 */
@Singleton
class AgentLookups {
    private static final String AGENT = """
            SELECT id, tenant_id, name, spiffe_id, status, labels, scopes, secret_hash, secret_version,
                   enrollment_token_id, created_at, updated_at, revoked_at
            FROM agents WHERE id = ?""";
    private static final String BINDING = """
            SELECT id, agent_id, tenant_id, serial_number, x5t_s256, not_before, not_after, status, grace_until,
                   created_at, revoked_at, revocation_claimed_until
            FROM certificate_bindings WHERE x5t_s256 = ?""";
    private static final String STANDING = """
            SELECT b.agent_id, b.tenant_id, a.spiffe_id, b.status, b.grace_until, b.not_after, a.status, t.status
            FROM certificate_bindings b JOIN agents a ON a.id = b.agent_id JOIN tenants t ON t.id = b.tenant_id
            WHERE b.x5t_s256 = ?""";

    private final RowLookup rows;

    AgentLookups(RowLookup rows) {
        this.rows = rows;
    }

    Optional<Agent> agent(String id) {
        return rows.one(AGENT, id, AgentLookups::agent);
    }

    Optional<CertificateBinding> binding(String x5tS256) {
        return rows.one(BINDING, x5tS256, AgentLookups::binding);
    }

    Optional<BoundCertificate> standing(String x5tS256) {
        return rows.one(STANDING, x5tS256, AgentLookups::standing);
    }

    private static Agent agent(ResultSet rs) throws SQLException {
        return new Agent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                AgentStatus.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                rs.getString(10), instant(rs, 11), instant(rs, 12), instant(rs, 13));
    }

    private static CertificateBinding binding(ResultSet rs) throws SQLException {
        return new CertificateBinding(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), instant(rs, 6), instant(rs, 7), BindingStatus.valueOf(rs.getString(8)), instant(rs, 9),
                instant(rs, 10), instant(rs, 11), instant(rs, 12));
    }

    private static BoundCertificate standing(ResultSet rs) throws SQLException {
        return new BoundCertificate(rs.getString(1), rs.getString(2), rs.getString(3),
                BindingStatus.valueOf(rs.getString(4)), instant(rs, 5), instant(rs, 6),
                AgentStatus.valueOf(rs.getString(7)), TenantStatus.valueOf(rs.getString(8)));
    }
}
