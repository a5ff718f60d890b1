package io.identitybroker.anchor;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface InstallationRepository extends GenericRepository<Installation, Integer> {

    /** First writer wins (replicas starting together agree on one id). */
    @Query("INSERT INTO broker_installation (id, installation_id) VALUES (1, :installationId) ON CONFLICT DO NOTHING")
    void insertIfAbsent(String installationId);

    @Query("SELECT installation_id FROM broker_installation WHERE id = 1")
    Optional<String> installationId();
}
