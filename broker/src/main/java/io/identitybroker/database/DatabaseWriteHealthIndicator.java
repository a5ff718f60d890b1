package io.identitybroker.database;

import io.identitybroker.api.DatabaseFailures;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code database-write}: DOWN while the database cannot commit a write (a full disk, a database
 * that lost its file or its connection), UP again as soon as it can. The check commits an UPDATE
 * of the single {@code database_heartbeat} row, so with several replicas each check is one short
 * row lock. It is part of {@code /health} and {@code /health/readiness}.
 */
@Singleton
public class DatabaseWriteHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    public DatabaseWriteHealthIndicator(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            int rows = transactions.executeWrite(status -> {
                try (PreparedStatement ps = status.getConnection()
                        .prepareStatement("UPDATE database_heartbeat SET beat_at = ? WHERE id = 1")) {
                    ps.setTimestamp(1, Timestamp.from(clock.instant()));
                    return ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            healthStatus = rows == 1 ? HealthStatus.UP : HealthStatus.DOWN;
            details.put("writable", rows == 1);
        } catch (RuntimeException e) {
            healthStatus = HealthStatus.DOWN;
            details.put("writable", false);
            details.put("error", DatabaseFailures.isConnectionLost(e) ? "database_unavailable" : "write_failed");
        }
        return details;
    }

    @Override
    protected String getName() {
        return "database-write";
    }
}
