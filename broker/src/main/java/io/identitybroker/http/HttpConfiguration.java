package io.identitybroker.http;

import java.time.Duration;

/** Connection limits of the HTTPS listener ({@value HttpConfigurationProperties#PREFIX}.*). */
public interface HttpConfiguration {
    /**
     * How long a connection may take, from its opening (TLS handshake included) or from the first
     * byte of a later request, to complete a request's headers.
     */
    Duration getRequestHeaderTimeout();
}
