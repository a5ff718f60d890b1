package io.identitybroker.database;

import io.identitybroker.config.InvalidSettingException;
import io.identitybroker.config.Settings;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Prepares every configured datasource before its pool opens: an H2 URL without
 * {@code MODE=PostgreSQL} stops the start (the broker's SQL is PostgreSQL's); for an H2 file
 * database the pool gets its connections from {@link DurableH2DataSource}, so a commit is
 * acknowledged only once it is in the file ({@link H2Durability}; a URL that disables H2's log or
 * its background writer stops the start with one clear line); and
 * {@link EvictUnavailableConnections} so the pool drops connections of a database that stopped
 * serving.
 */
@Singleton
public class DatasourceGuard implements BeanCreatedEventListener<DatasourceConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(DatasourceGuard.class);
    private final List<DurableH2DataSource> durableH2 = new CopyOnWriteArrayList<>();

    /** The H2 file databases whose commits the broker makes durable ({@link H2FileSync} syncs them). */
    List<DurableH2DataSource> durableH2() {
        return durableH2;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getUrl();
        String property = "datasources." + config.getName() + ".url";
        String env = Settings.envName(property);
        if (H2Durability.isH2(url) && !H2Durability.postgresMode(url)) {
            // The schema and the queries are PostgreSQL's: without the mode every request would fail.
            throw InvalidSettingException.withoutValue(property, env, "must set MODE=PostgreSQL when it is an H2 URL");
        }
        try {
            if (H2Durability.needsGroupCommit(url) && config.getDataSource() == null) {
                DurableH2DataSource durable = new DurableH2DataSource(url, config.getUsername(), config.getPassword());
                config.setDataSource(durable);
                durableH2.add(durable);
                LOG.info("Datasource '{}': H2 file database; a commit is acknowledged once H2 has written it to the file",
                        config.getName());
            }
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.withoutValue(property, env, "refused: " + e.getMessage());
        } catch (SQLException e) {
            throw InvalidSettingException.withoutValue(property, env, "has no H2 driver: " + e.getMessage());
        }
        if (config.getExceptionOverrideClassName() == null) {
            config.setExceptionOverrideClassName(EvictUnavailableConnections.class.getName());
        }
        return config;
    }
}
