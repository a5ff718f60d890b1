package io.identitybroker.agent;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface AgentRepository extends CrudRepository<Agent, String> {

    Optional<Agent> findByIdAndTenantId(String id, String tenantId);

    List<Agent> findByIdIn(Collection<String> ids);

    /**
     * Row-locks an active agent for the rest of the transaction. Rotation and revocation both start
     * here, so they serialise per agent: a revocation that got the lock first makes the rotation
     * find no active agent; one that waited sees the rotation's new binding and revokes it too.
     */
    @Query("UPDATE agents SET updated_at = :now WHERE id = :id AND status = 'ACTIVE'")
    int lockActive(String id, Instant now);

    /** Secret rotation's compare-and-swap on the version (and hash) the caller authenticated with. */
    @Query("""
            UPDATE agents SET secret_hash = :newHash, secret_version = secret_version + 1, updated_at = :now
            WHERE id = :id AND status = 'ACTIVE' AND secret_version = :version AND secret_hash = :oldHash""")
    int rotateSecret(String id, int version, String oldHash, String newHash, Instant now);

    @Query("""
            UPDATE agents SET secret_hash = NULL, secret_version = secret_version + 1, updated_at = :now
            WHERE id = :id AND tenant_id = :tenantId AND secret_hash IS NOT NULL""")
    int revokeSecret(String id, String tenantId, Instant now);

    @Query("""
            UPDATE agents SET status = 'REVOKED', secret_hash = NULL, secret_version = secret_version + 1,
                              revoked_at = :now, updated_at = :now
            WHERE id = :id AND tenant_id = :tenantId AND status = 'ACTIVE'""")
    int revoke(String id, String tenantId, Instant now);
}
