package io.identitybroker.issuance;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface IssuanceIntentRepository extends GenericRepository<IssuanceIntent, String> {

    IssuanceIntent save(IssuanceIntent intent);

    /** The live request's close: fails (0) once a reconciler has claimed the intent. */
    @Query("DELETE FROM issuance_intents WHERE id = :id AND claimed_until IS NULL")
    int closeUnclaimed(String id);

    @Query("""
            SELECT * FROM issuance_intents WHERE created_at < :olderThan
            AND (claimed_until IS NULL OR claimed_until < :now) ORDER BY created_at LIMIT :limit""")
    List<IssuanceIntent> stale(Instant olderThan, Instant now, int limit);

    /** A reconciler's claim: only on an intent older than every live request, and not held by another reconciler. */
    @Query("""
            UPDATE issuance_intents SET claimed_until = :until WHERE id = :id AND created_at < :olderThan
            AND (claimed_until IS NULL OR claimed_until < :now)""")
    int claim(String id, Instant olderThan, Instant now, Instant until);

    /** The reconciler's close, only while its own claim still holds. */
    @Query("DELETE FROM issuance_intents WHERE id = :id AND claimed_until = :until")
    int closeClaimed(String id, Instant until);

    /** Intents for the same identity that a live request may still own (younger than the bound). */
    @Query("SELECT count(*) FROM issuance_intents WHERE spiffe_id = :spiffeId AND id <> :id AND created_at >= :olderThan")
    long liveSiblings(String spiffeId, String id, Instant olderThan);

    @Query("SELECT count(*) FROM issuance_intents")
    long countOpen();

    /**
     * Whether a binding records this serial. A read of the agent capability's table: this package
     * sits below agent (which calls it), so it cannot use the agent repository.
     */
    @Query("SELECT count(*) FROM certificate_bindings WHERE tenant_id = :tenantId AND serial_number = :serial")
    long bindingsWithSerial(String tenantId, String serial);
}
