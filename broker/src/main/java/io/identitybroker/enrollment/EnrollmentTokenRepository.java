package io.identitybroker.enrollment;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface EnrollmentTokenRepository extends CrudRepository<EnrollmentToken, String> {

    Optional<EnrollmentToken> findByIdAndTenantId(String id, String tenantId);

    @Query("SELECT * FROM enrollment_tokens WHERE tenant_id = :tenantId ORDER BY created_at DESC LIMIT 500")
    List<EnrollmentToken> recentOfTenant(String tenantId);

    /**
     * Claims one use. The conditions are re-checked by the database on the locked row, so
     * concurrent claims (from any replica) can never exceed {@code max_uses}.
     */
    @Query("""
            UPDATE enrollment_tokens SET uses = uses + 1
            WHERE id = :id AND uses < max_uses AND revoked_at IS NULL AND expires_at > :now
              AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = enrollment_tokens.tenant_id AND t.status = 'ACTIVE')""")
    int claim(String id, Instant now);

    @Query("UPDATE enrollment_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
    int revoke(String id, Instant now);
}
