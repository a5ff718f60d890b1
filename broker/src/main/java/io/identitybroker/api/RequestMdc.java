package io.identitybroker.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * The matched route's template and, when the path names them in a well-formed way, the tenant and
 * agent id, as logging MDC fields ({@code route}, {@code tenant}, {@code agent_id}) on whichever
 * thread handles the request, like {@link CorrelationMdc}. Only templates and ids that passed
 * their creation rules are recorded, so no free client text reaches these fields.
 */
record RequestMdc(@Nullable String route, @Nullable String tenant, @Nullable String agentId)
        implements ThreadPropagatedContextElement<Map<String, String>> {
    static final String ROUTE = "route";
    static final String TENANT = "tenant";
    static final String AGENT_ID = "agent_id";

    @Override
    public Map<String, String> updateThreadContext() {
        Map<String, String> previous = new HashMap<>();
        put(previous, ROUTE, route);
        put(previous, TENANT, tenant);
        put(previous, AGENT_ID, agentId);
        return previous;
    }

    @Override
    public void restoreThreadContext(Map<String, String> previous) {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }

    private static void put(Map<String, String> previous, String key, @Nullable String value) {
        if (value != null) {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        }
    }
}
