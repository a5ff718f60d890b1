package io.identitybroker.spiffe;

import io.identitybroker.testing.TestPostgres;

import java.util.Map;

/** The same on PostgreSQL, the production database, with the replica on the same database. */
class TrustBundleOnPostgresTest extends TrustBundleTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }
}
