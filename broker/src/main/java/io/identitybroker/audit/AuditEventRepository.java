package io.identitybroker.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuditEventRepository extends GenericRepository<AuditEvent, String> {

    AuditEvent save(AuditEvent event);

    @Query("INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (:chain, 0, :genesis) ON CONFLICT DO NOTHING")
    void ensureHead(String chain, String genesis);

    @Query("SELECT chain, seq, hash FROM audit_chain_heads WHERE chain = :chain FOR UPDATE")
    Optional<AuditChainHead> lockHead(String chain);

    @Query("SELECT chain, seq, hash FROM audit_chain_heads ORDER BY chain")
    List<AuditChainHead> heads();

    @Query("UPDATE audit_chain_heads SET seq = :seq, hash = :hash WHERE chain = :chain")
    int advanceHead(String chain, long seq, String hash);

    @Query("SELECT * FROM audit_events WHERE chain = :chain AND seq > :afterSeq ORDER BY seq LIMIT :limit")
    List<AuditEvent> page(String chain, long afterSeq, int limit);

    @Query("SELECT * FROM audit_events WHERE chain = :chain AND type = :type AND seq > :afterSeq ORDER BY seq LIMIT :limit")
    List<AuditEvent> pageOfType(String chain, String type, long afterSeq, int limit);
}
