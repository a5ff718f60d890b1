package io.identitybroker.agent;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface AgentRepository extends CrudRepository<Agent, String> {

    Optional<Agent> findByIdAndTenantId(String id, String tenantId);

    @Query("SELECT * FROM agents WHERE tenant_id = :tenantId ORDER BY created_at DESC LIMIT 1000")
    List<Agent> recentOfTenant(String tenantId);
}
