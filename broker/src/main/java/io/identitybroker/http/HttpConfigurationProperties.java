package io.identitybroker.http;

import io.identitybroker.config.DurationMax;
import io.identitybroker.config.DurationMin;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@link HttpConfiguration} from {@code broker.http.*}, checked at start: a timeout outside 100ms..5m stops it. */
@Context
@ConfigurationProperties(HttpConfigurationProperties.PREFIX)
public class HttpConfigurationProperties implements HttpConfiguration {
    public static final String PREFIX = "broker.http";
    public static final String DEFAULT_REQUEST_HEADER_TIMEOUT = "10s";

    @NotNull
    @DurationMin("100ms")
    @DurationMax("5m")
    private Duration requestHeaderTimeout = Settings.duration(DEFAULT_REQUEST_HEADER_TIMEOUT);

    @Override
    public Duration getRequestHeaderTimeout() {
        return requestHeaderTimeout;
    }

    public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
        this.requestHeaderTimeout = requestHeaderTimeout;
    }
}
