package io.identitybroker.federation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TrustDomainRepository extends CrudRepository<TrustDomain, String> {
    @Query("SELECT * FROM trust_domains ORDER BY name")
    List<TrustDomain> allByName();

    @Query("SELECT COUNT(*) FROM external_clients WHERE trust_domain = :name")
    long clientsOf(String name);
}
