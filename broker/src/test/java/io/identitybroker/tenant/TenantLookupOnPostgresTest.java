package io.identitybroker.tenant;

import io.identitybroker.testing.TestPostgres;

import java.util.Map;

/** The same mapping on PostgreSQL, whose driver returns its own types for the same columns. */
class TenantLookupOnPostgresTest extends TenantLookupTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }
}
