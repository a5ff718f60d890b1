package io.identitybroker.federation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The spiffe_jwt replay guard: one row per used assertion (by hash). The insert is conditional on
 * the primary key, so exactly one of two concurrent uses wins, across replicas of one database.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface UsedAssertions extends GenericRepository<UsedAssertion, String> {
    /** @return 1 for the first use, 0 for a replay */
    @Transactional
    @Query("INSERT INTO used_client_assertions (assertion_hash, expires_at) VALUES (:hash, :expiresAt) ON CONFLICT DO NOTHING")
    int firstUse(String hash, Instant expiresAt);

    @Transactional
    @Query("DELETE FROM used_client_assertions WHERE expires_at < :now")
    int purge(Instant now);
}
