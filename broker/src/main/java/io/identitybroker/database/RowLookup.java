package io.identitybroker.database;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * At most one row by one key, read with plain JDBC and mapped by column position. For the lookups
 * every request makes (an agent, its tenant, a certificate's binding, an enrollment token): a
 * repository method builds its result through Micronaut Data's generic mapper and looks each
 * column up by name, which H2 answers by upper-casing every label of every result set, and on
 * the token endpoint those three lookups were a third of the request's CPU.
 * <p>
 * Runs on the caller's connection or transaction, like a repository method; a database failure
 * propagates unchanged (and becomes a 503 like any other). The query must select the columns in
 * the order its {@link Row} reads them, and the key must make the row unique: a second row is
 * ignored.
 */
@Singleton
public final class RowLookup {
    private final JdbcOperations jdbc;

    public RowLookup(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Maps the current row of a result set, reading columns by position. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The row {@code sql} selects for {@code key} (its single {@code ?}), mapped; empty when there is none. */
    public <T> Optional<T> one(String sql, String key, Row<T> row) {
        return jdbc.prepareStatement(sql, (PreparedStatement ps) -> {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
            }
        });
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant, null when SQL NULL. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
