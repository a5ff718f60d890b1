package io.identitybroker.api;

import io.identitybroker.ids.ResourceIds;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.UriRouteMatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds the route, tenant and agent id of each request to the logging MDC ({@link RequestMdc}) and
 * writes one access line per response to the logger {@code io.identitybroker.access} (off unless
 * {@code BROKER_ACCESS_LOG_LEVEL=INFO}), with {@code outcome} ({@code success}, {@code client_error},
 * {@code server_error}) and {@code status} as MDC fields. Never the query string or a header.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestLogFilter implements Ordered {
    private static final Logger ACCESS = LoggerFactory.getLogger("io.identitybroker.access");
    /** The plain template of each route's template (the routes are fixed at startup, so this is bounded). */
    private static final Map<String, String> ROUTES = new ConcurrentHashMap<>();

    @RequestFilter
    public void enter(HttpRequest<?> request, MutablePropagatedContext context) {
        context.add(of(request));
    }

    @ResponseFilter
    public void leave(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        int status = response.code();
        String outcome = status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
        Map<String, String> previous = of(request).updateThreadContext();
        String cid = MDC.get(CorrelationMdc.KEY);
        MDC.put(CorrelationMdc.KEY, CorrelationId.of(request));
        MDC.put("outcome", outcome);
        MDC.put("status", Integer.toString(status));
        try {
            ACCESS.info("{} {} {}", request.getMethodName(), MDC.get(RequestMdc.ROUTE), status);
        } finally {
            MDC.remove("outcome");
            MDC.remove("status");
            if (cid == null) {
                MDC.remove(CorrelationMdc.KEY);
            } else {
                MDC.put(CorrelationMdc.KEY, cid);
            }
            new RequestMdc(null, null, null).restoreThreadContext(previous);
        }
    }

    static RequestMdc of(HttpRequest<?> request) {
        UriRouteMatch<?, ?> match = request.getAttribute(HttpAttributes.ROUTE_MATCH, UriRouteMatch.class).orElse(null);
        if (match == null) {
            return new RequestMdc("unmatched", null, null);
        }
        Map<String, Object> variables = match.getVariableValues();
        String tenant = variables.get("tenant") instanceof String t && ResourceIds.isTenant(t) ? t : null;
        Object agent = variables.containsKey("agent_id") ? variables.get("agent_id") : variables.get("agentId");
        String agentId = agent instanceof String a && ResourceIds.isUuid(a) ? a : null;
        // Routes constrain their ids to [^/]+ (so a '+' still reaches the path-id rule); log the plain template.
        String route = ROUTES.computeIfAbsent(match.getRouteInfo().getUriMatchTemplate().toString(),
                template -> template.replaceAll("\\{([A-Za-z_]+):[^}]*}", "{$1}"));
        return new RequestMdc(route, tenant, agentId);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.after();
    }
}
