package io.identitybroker.database;

import io.identitybroker.config.InvalidSettingException;
import io.identitybroker.config.Settings;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares every configured datasource before its pool opens: an H2 URL without
 * {@code MODE=PostgreSQL} stops the start (the broker's SQL is PostgreSQL's); {@link H2Durability} (a weak H2
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
        String property = "datasources." + config.getName() + ".url";
        String env = Settings.envName(property);
        if (H2Durability.isH2(url) && !H2Durability.postgresMode(url)) {
            // The schema and the queries are PostgreSQL's: without the mode every request would fail.
            throw InvalidSettingException.withoutValue(property, env, "must set MODE=PostgreSQL when it is an H2 URL");
        }
        String durable;
        try {
            durable = H2Durability.enforce(url);
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.withoutValue(property, env, "refused: " + e.getMessage());
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
