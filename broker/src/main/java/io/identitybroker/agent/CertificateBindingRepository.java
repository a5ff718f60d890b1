package io.identitybroker.agent;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface CertificateBindingRepository extends CrudRepository<CertificateBinding, String> {

    Optional<CertificateBinding> findByX5tS256(String x5tS256);

    List<CertificateBinding> findByAgentIdOrderByCreatedAtDesc(String agentId);

    Optional<CertificateBinding> findByAgentIdAndStatus(String agentId, BindingStatus status);

    /** The binding of a thumbprint with its agent's status: the unique index on x5t_s256, then the agent's primary key. */
    @Query("""
            SELECT b.agent_id, b.tenant_id, a.status AS agent_status, b.status AS binding_status, b.grace_until, b.not_after
            FROM certificate_bindings b JOIN agents a ON a.id = b.agent_id
            WHERE b.x5t_s256 = :x5tS256""")
    Optional<BindingRow> boundCertificate(String x5tS256);
}
