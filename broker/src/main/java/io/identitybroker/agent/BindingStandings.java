package io.identitybroker.agent;

import io.identitybroker.tenant.TenantStatus;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * Where a certificate thumbprint stands ({@link BoundCertificate}), read with one plain JDBC query
 * on the unique index on {@code x5t_s256}. Introspection asks this on every request, so it skips
 * the repository's DTO mapping (Micronaut Data builds a runtime entity for a DTO on each call,
 * about a quarter of the query's CPU) and reads columns by position. Runs on the caller's
 * connection or transaction, like a repository method; a database failure propagates unchanged.
 */
@Singleton
class BindingStandings {
    private static final String SQL = """
            SELECT b.agent_id, b.tenant_id, a.spiffe_id, b.status, b.grace_until, b.not_after, a.status, t.status
            FROM certificate_bindings b JOIN agents a ON a.id = b.agent_id JOIN tenants t ON t.id = b.tenant_id
            WHERE b.x5t_s256 = ?""";

    private final JdbcOperations jdbc;

    BindingStandings(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    Optional<BoundCertificate> of(String x5tS256) {
        return jdbc.prepareStatement(SQL, (PreparedStatement ps) -> {
            ps.setString(1, x5tS256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp graceUntil = rs.getTimestamp(5);
                return Optional.of(new BoundCertificate(rs.getString(1), rs.getString(2), rs.getString(3),
                        BindingStatus.valueOf(rs.getString(4)), graceUntil == null ? null : graceUntil.toInstant(),
                        rs.getTimestamp(6).toInstant(), AgentStatus.valueOf(rs.getString(7)),
                        TenantStatus.valueOf(rs.getString(8))));
            }
        });
    }
}
