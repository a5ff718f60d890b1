package io.identitybroker.spiffe;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TrustBundleRepository extends GenericRepository<TrustBundleSequence, String> {

    Optional<TrustBundleSequence> findById(String trustDomain);

    /** The first sequence of a trust domain; a concurrent first insert by another replica wins silently. */
    @Query("""
            INSERT INTO trust_bundles (trust_domain, content_sha256, sequence, updated_at)
            VALUES (:trustDomain, :sha, :sequence, :now) ON CONFLICT DO NOTHING""")
    int insertFirst(String trustDomain, String sha, long sequence, Instant now);

    /** Compare-and-swap: advances only the row as it was read. */
    @Query("""
            UPDATE trust_bundles SET content_sha256 = :sha, sequence = :next, updated_at = :now
            WHERE trust_domain = :trustDomain AND content_sha256 = :oldSha AND sequence = :oldSequence""")
    int advance(String trustDomain, String oldSha, long oldSequence, String sha, long next, Instant now);
}
