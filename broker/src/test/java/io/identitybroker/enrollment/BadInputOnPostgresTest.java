package io.identitybroker.enrollment;

import io.identitybroker.testing.TestPostgres;

import java.util.Map;

/** The same behaviour on PostgreSQL, the production database. */
class BadInputOnPostgresTest extends BadInputTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }
}
