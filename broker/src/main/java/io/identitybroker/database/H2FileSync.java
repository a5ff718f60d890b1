package io.identitybroker.database;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/**
 * Forces each H2 file database to disk once a second when anything was stored since the last
 * time. Group commit puts an acknowledged commit in the file, which survives a crash of the
 * process; this bounds what a power loss can take to about the last {@value #INTERVAL} of
 * commits, instead of whatever the operating system had not yet written back (up to ~30 s on
 * Linux). It is also what makes H2's {@code RETENTION_TIME=5000} in the default URL safe: H2
 * reuses the space of a superseded chunk only after that time, and by then the chunks that
 * superseded it are on disk.
 * <p>
 * Failure: a sync that fails (a full disk) is logged once, until one succeeds again, and tried
 * again on the next tick; the commits themselves fail and answer 503 on their own
 * ({@link H2GroupCommit}).
 */
@Singleton
public class H2FileSync {
    static final String INTERVAL = "1s";
    private static final Logger LOG = LoggerFactory.getLogger(H2FileSync.class);

    private final DatasourceGuard datasources;
    private volatile boolean failing;

    public H2FileSync(DatasourceGuard datasources) {
        this.datasources = datasources;
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void sync() {
        for (DurableH2DataSource db : datasources.durableH2()) {
            try {
                db.syncToDisk();
                failing = false;
            } catch (SQLException | RuntimeException e) {
                if (!failing) {
                    LOG.warn("Could not force the H2 database file to disk (retrying every {}): {}", INTERVAL, e.toString());
                }
                failing = true;
            }
        }
    }
}
