package io.identitybroker.audit;

import io.identitybroker.testing.TestPostgres;

import java.util.Map;

/** The same behaviour on PostgreSQL, the production database. */
class AuditTrailOnPostgresTest extends AuditTrailTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }
}
