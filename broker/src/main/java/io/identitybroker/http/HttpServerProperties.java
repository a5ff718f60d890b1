package io.identitybroker.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/** Connection limits of the HTTPS listener ({@code broker.http.*}), checked at start. */
@Context
@ConfigurationProperties("broker.http")
public class HttpServerProperties {
    static final Duration MIN_HEADER_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_HEADER_TIMEOUT = Duration.ofMinutes(5);

    /**
     * How long a connection may take, from its opening (TLS handshake included) or from the first
     * byte of a later request, to complete a request's headers. Default 10 s.
     */
    private Duration requestHeaderTimeout = Duration.ofSeconds(10);

    public Duration getRequestHeaderTimeout() {
        return requestHeaderTimeout;
    }

    public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
        if (requestHeaderTimeout == null || requestHeaderTimeout.compareTo(MIN_HEADER_TIMEOUT) < 0
                || requestHeaderTimeout.compareTo(MAX_HEADER_TIMEOUT) > 0) {
            throw new ConfigurationException("broker.http.request-header-timeout (BROKER_HTTP_REQUEST_HEADER_TIMEOUT) must be "
                    + "between 100ms and 5m; got " + requestHeaderTimeout);
        }
        this.requestHeaderTimeout = requestHeaderTimeout;
    }
}
