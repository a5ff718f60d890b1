package io.identitybroker.est;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

/**
 * {@link EstConfiguration} from {@code broker.est.*}. The labelled paths ({@code /.well-known/est/{tenant}/...}) always serve;
 * the unlabelled ones ({@code /.well-known/est/simpleenroll}, as clients without label support
 * use) serve only the tenant named here, and answer 404 while it is unset (the default).
 */
@Context
@ConfigurationProperties(EstConfigurationProperties.PREFIX)
public class EstConfigurationProperties implements EstConfiguration {
    public static final String PREFIX = "broker.est";

    /** The tenant the unlabelled EST paths act for; empty: they are off. */
    @Nullable
    private String defaultTenant;

    @Override
    @Nullable
    public String getDefaultTenant() {
        return defaultTenant == null || defaultTenant.isBlank() ? null : defaultTenant.strip();
    }

    public void setDefaultTenant(@Nullable String defaultTenant) {
        this.defaultTenant = defaultTenant;
    }
}
