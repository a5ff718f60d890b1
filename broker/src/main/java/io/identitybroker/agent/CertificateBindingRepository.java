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
interface CertificateBindingRepository extends CrudRepository<CertificateBinding, String> {

    List<CertificateBinding> findByAgentIdOrderByCreatedAtDesc(String agentId);

    List<CertificateBinding> findByAgentIdInOrderByCreatedAtDesc(Collection<String> agentIds);

    Optional<CertificateBinding> findByAgentIdAndStatus(String agentId, BindingStatus status);

    /** The rotation's compare-and-swap: only the binding the agent authenticated with, only while it is current. */
    @Query("UPDATE certificate_bindings SET status = 'PREVIOUS', grace_until = :graceUntil WHERE id = :id AND agent_id = :agentId AND status = 'CURRENT'")
    int demoteCurrent(String id, String agentId, Instant graceUntil);

    /** Ends the grace of an older previous binding: an agent has at most one certificate besides its current one. */
    @Query("UPDATE certificate_bindings SET grace_until = :now WHERE agent_id = :agentId AND status = 'PREVIOUS' AND grace_until > :now")
    int endGrace(String agentId, Instant now);

    @Query("""
            SELECT * FROM certificate_bindings WHERE status = 'PREVIOUS' AND grace_until <= :now
              AND (revocation_claimed_until IS NULL OR revocation_claimed_until < :now)
            ORDER BY grace_until LIMIT :limit""")
    List<CertificateBinding> graceEnded(Instant now, int limit);

    /** One replica claims the Vault revocation of a grace-expired binding until {@code until}. */
    @Query("""
            UPDATE certificate_bindings SET revocation_claimed_until = :until
            WHERE id = :id AND status = 'PREVIOUS' AND grace_until <= :now
              AND (revocation_claimed_until IS NULL OR revocation_claimed_until < :now)""")
    int claimRevocation(String id, Instant now, Instant until);

    @Query("UPDATE certificate_bindings SET status = 'REVOKED', revoked_at = :now WHERE id = :id AND status = 'PREVIOUS'")
    int markPreviousRevoked(String id, Instant now);

    @Query("SELECT * FROM certificate_bindings WHERE agent_id = :agentId AND status IN ('CURRENT', 'PREVIOUS') ORDER BY created_at")
    List<CertificateBinding> liveOf(String agentId);

    @Query("UPDATE certificate_bindings SET status = 'REVOKED', revoked_at = :now WHERE agent_id = :agentId AND status IN ('CURRENT', 'PREVIOUS')")
    int revokeAllOf(String agentId, Instant now);
}
