package io.identitybroker.agent;

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
}
