package io.identitybroker.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

import java.security.Principal;

/**
 * Who asked and under which correlation id: what every audit event needs from the request.
 *
 * @param actor         the authenticated principal's name, or a description of an unauthenticated caller
 * @param correlationId the request's correlation id
 * @param protocol      the protocol of an enrollment or rotation request, recorded as the audit detail
 *                      {@code protocol} on every event written for it; null elsewhere
 */
public record RequestContext(String actor, String correlationId, @Nullable Protocol protocol) {

    public RequestContext(String actor, String correlationId) {
        this(actor, correlationId, null);
    }

    public static RequestContext of(HttpRequest<?> request) {
        String actor = request.getUserPrincipal().map(Principal::getName).orElse("anonymous");
        return new RequestContext(actor, CorrelationId.of(request));
    }

    public RequestContext as(String otherActor) {
        return new RequestContext(otherActor, correlationId, protocol);
    }

    public RequestContext over(Protocol requestProtocol) {
        return new RequestContext(actor, correlationId, requestProtocol);
    }
}
