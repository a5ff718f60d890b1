package io.identitybroker.federation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ExternalClientRepository extends CrudRepository<ExternalClient, String> {
    Optional<ExternalClient> findByIdAndTenantId(String id, String tenantId);

    boolean existsByTenantIdAndSpiffeId(String tenantId, String spiffeId);

    @Query("SELECT * FROM external_clients WHERE tenant_id = :tenantId ORDER BY created_at DESC LIMIT 1000")
    List<ExternalClient> recentOfTenant(String tenantId);
}
