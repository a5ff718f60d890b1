package io.identitybroker.tenant;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** On PostgreSQL, concurrent creations of tenants on one free mount leave exactly one owner. */
class PkiMountClaimOnPostgresTest extends BrokerTest {
    @Override
    protected Map<String, Object> databaseProperties() {
        return TestPostgres.freshDatabase();
    }

    @Override
    protected List<String> tenants() {
        return List.of();
    }

    @Test
    void concurrentTenantsOnOneMountYieldOneCreatedAndTheRest409() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BrokerApi.Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = "race" + i;
                answers.add(pool.submit(() -> api.post("/api/v1/tenants", Map.of("id", id, "trust_domain", vault.trustDomain(),
                        "pki_mount", "pki-tenants/globex"), vault.platformAdminToken())));
            }
            int created = 0;
            int conflicts = 0;
            for (Future<BrokerApi.Response> f : answers) {
                BrokerApi.Response r = f.get();
                if (r.status() == 201) {
                    created++;
                } else {
                    assertEquals(409, r.status(), r.raw());
                    assertEquals("pki_mount_in_use", r.problemType());
                    conflicts++;
                }
            }
            assertEquals(1, created);
            assertEquals(7, conflicts);
            assertEquals(1, broker.count("SELECT count(*) FROM tenants WHERE pki_mount = 'pki-tenants/globex'"));
            assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'tenant.created'"));
        } finally {
            pool.shutdownNow();
        }
    }
}
