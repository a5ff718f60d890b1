package io.identitybroker.agent;

import io.identitybroker.testing.TestPostgres;

import java.util.Map;

/** The same filters and pages on PostgreSQL (label LIKE, EXTRACT(EPOCH …), keyset order). */
class AgentInventoryOnPostgresTest extends AgentInventoryTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }
}
