package io.identitybroker.enrollment;

import io.identitybroker.testing.TestPostgres;

import java.util.Map;

/** The same mapping on PostgreSQL, whose driver returns its own types for the same columns. */
class EnrollmentTokenLookupOnPostgresTest extends EnrollmentTokenLookupTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }
}
