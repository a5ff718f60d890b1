package io.identitybroker.enrollment;

import io.identitybroker.api.Protocol;
import io.identitybroker.api.RequestContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** Agents redeem an enrollment token; the token in the body is the authentication. */
@Controller("/api/v1/agent-enrollment")
@Secured(SecurityRule.IS_ANONYMOUS)
public class ExchangeController {
    private final EnrollmentExchangeService exchange;

    public ExchangeController(EnrollmentExchangeService exchange) {
        this.exchange = exchange;
    }

    /** The body is parsed here rather than by the framework so that malformed JSON is audited too. */
    @Post(value = "/exchange", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<ExchangeResponse> exchange(HttpRequest<?> request, @Nullable @Body String body) {
        RequestContext ctx = new RequestContext("agent:enrollment", RequestContext.of(request).correlationId(),
                Protocol.JSON);
        return HttpResponse.ok(exchange.exchange(body, ctx)).header("Cache-Control", "no-store");
    }
}
