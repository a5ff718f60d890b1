package io.identitybroker.est;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code broker.est.*}. The labelled paths ({@code /.well-known/est/{tenant}/...}) always serve;
 * the unlabelled ones ({@code /.well-known/est/simpleenroll}, as clients without label support
 * use) serve only the tenant named here, and answer 404 while it is unset (the default).
 */
@ConfigurationProperties("broker.est")
public class EstProperties {
    /** The tenant the unlabelled EST paths act for; empty: they are off. */
    @Nullable
    private String defaultTenant;

    @Nullable
    public String getDefaultTenant() {
        return defaultTenant == null || defaultTenant.isBlank() ? null : defaultTenant.strip();
    }

    public void setDefaultTenant(@Nullable String defaultTenant) {
        this.defaultTenant = defaultTenant;
    }
}
