package io.identitybroker.tenant;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TenantRepository extends CrudRepository<Tenant, String> {

    List<Tenant> findAllOrderById();

    @Query("UPDATE tenants SET status = :status, display_name = :displayName, allow_dns_san = :allowDnsSan, updated_at = :now WHERE id = :id")
    int update(String id, TenantStatus status, String displayName, boolean allowDnsSan, Instant now);

    @Query("""
            UPDATE tenants SET display_name = :displayName, pki_mount = :pkiMount, pki_role = :pkiRole,
                   status = :status, updated_at = :now
            WHERE id = :id AND source = 'vault-kv'""")
    int updateDeclared(String id, String displayName, String pkiMount, String pkiRole, TenantStatus status, Instant now);

    List<Tenant> findBySourceAndStatus(String source, TenantStatus status);
}
