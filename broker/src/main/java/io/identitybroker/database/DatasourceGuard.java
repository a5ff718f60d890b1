package io.identitybroker.database;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/**
 * Prepares every configured datasource before its pool opens: for an H2 file database the pool
 * gets its connections from {@link DurableH2DataSource}, so a commit is acknowledged only once it
 * is in the file ({@link H2Durability}; a URL that disables H2's log or its background writer
 * stops the start with one clear line), and {@link EvictUnavailableConnections} so the pool drops
 * connections of a database that stopped serving.
 */
@Singleton
public class DatasourceGuard implements BeanCreatedEventListener<DatasourceConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(DatasourceGuard.class);

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getUrl();
        try {
            if (H2Durability.needsGroupCommit(url) && config.getDataSource() == null) {
                config.setDataSource(new DurableH2DataSource(url, config.getUsername(), config.getPassword()));
                LOG.info("Datasource '{}': H2 file database; a commit is acknowledged once H2 has written it to the file",
                        config.getName());
            }
        } catch (IllegalArgumentException | SQLException e) {
            String line = "Refusing to start: datasource '" + config.getName() + "': " + e.getMessage();
            LOG.error(line);
            throw new ConfigurationException(line);
        }
        if (config.getExceptionOverrideClassName() == null) {
            config.setExceptionOverrideClassName(EvictUnavailableConnections.class.getName());
        }
        return config;
    }
}
