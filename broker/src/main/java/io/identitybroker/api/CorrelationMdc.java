package io.identitybroker.api;

import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import org.slf4j.MDC;

/**
 * Puts the correlation id into the logging MDC on whichever thread handles the request: Micronaut
 * propagates this element from the event loop to the blocking pool where controllers run.
 */
record CorrelationMdc(String correlationId) implements ThreadPropagatedContextElement<String> {
    static final String KEY = "correlation_id";

    @Override
    public String updateThreadContext() {
        String previous = MDC.get(KEY);
        MDC.put(KEY, correlationId);
        return previous;
    }

    @Override
    public void restoreThreadContext(String previous) {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
