package io.identitybroker.database;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares every configured datasource before its pool opens: {@link H2Durability} (a weak H2
 * file URL is corrected, logged once; a URL that asks for delayed commits stops the start with
 * one clear line), and {@link EvictUnavailableConnections} so the pool drops connections of a
 * database that stopped serving.
 */
@Singleton
public class DatasourceGuard implements BeanCreatedEventListener<DatasourceConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(DatasourceGuard.class);

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getUrl();
        String durable;
        try {
            durable = H2Durability.enforce(url);
        } catch (IllegalArgumentException e) {
            String line = "Refusing to start: datasource '" + config.getName() + "': " + e.getMessage();
            LOG.error(line);
            throw new ConfigurationException(line);
        }
        if (!durable.equals(url)) {
            LOG.info("Datasource '{}': added {} to the H2 URL so that every acknowledged commit survives a process crash",
                    config.getName(), H2Durability.SETTING);
            config.setUrl(durable);
            config.setJdbcUrl(durable);
        }
        if (config.getExceptionOverrideClassName() == null) {
            config.setExceptionOverrideClassName(EvictUnavailableConnections.class.getName());
        }
        return config;
    }
}
