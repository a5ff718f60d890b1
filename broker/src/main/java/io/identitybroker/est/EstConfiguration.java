package io.identitybroker.est;

import io.micronaut.core.annotation.Nullable;

/** EST settings ({@value EstConfigurationProperties#PREFIX}.*). */
public interface EstConfiguration {
    /** The tenant the unlabelled EST paths act for, stripped; null: they are off. */
    @Nullable
    String getDefaultTenant();
}
