package io.identitybroker.database;

import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.Csrs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker on an H2 file forces it to disk within about a second of a stored commit
 * ({@link H2FileSync}), which is what bounds a power loss and makes the default URL's
 * {@code RETENTION_TIME=5000} safe.
 */
class H2FileSyncTest extends BrokerTest {

    @Override
    protected Map<String, Object> databaseProperties() {
        try {
            return Map.of("datasources.default.url", "jdbc:h2:file:" + Files.createTempDirectory("h2-file-sync-").resolve("broker")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000;RETENTION_TIME=5000");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void whenAnEnrollmentIsAcknowledgedThenTheFileIsSyncedWithinAboutASecond() throws Exception {
        List<DurableH2DataSource> files = broker.context().getBean(DatasourceGuard.class).durableH2();
        assertEquals(1, files.size(), "the broker's H2 file database goes through the durable data source");
        assertEquals(200, fixtures.exchange(fixtures.tokenSecret("acme"), Csrs.p256().pem()).status());
        long deadline = System.nanoTime() + 15_000_000_000L; // generous: a busy CI machine delays the scheduler
        while (files.get(0).unsynced() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(!files.get(0).unsynced(), "nothing synced the file within 15 s of an acknowledged enrollment");
    }
}
