package io.identitybroker.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.ExecutorService;

/**
 * The metrics endpoints ({@code /metrics} and the Prometheus exposition {@code /prometheus}) are for operators: they need a
 * Vault token with {@code read} on the virtual path {@code identity-broker/metrics}. Without this
 * rule Micronaut would let any valid Vault token read a sensitive endpoint.
 */
@Singleton
public class MetricsEndpointRule implements SecurityRule<HttpRequest<?>> {
    /** The virtual Vault path whose {@code read} capability opens the metrics endpoint. */
    public static final String METRICS_PATH = "identity-broker/metrics";

    private final AdminAuthorizer authorizer;
    private final Scheduler blocking;

    public MetricsEndpointRule(AdminAuthorizer authorizer, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.authorizer = authorizer;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    static boolean isMetricsPath(String path) {
        return path.equals("/metrics") || path.startsWith("/metrics/") || path.equals("/prometheus");
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (!isMetricsPath(request.getPath())) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        String token = request.getAttribute(VaultTokenAuthenticationFetcher.TOKEN_ATTRIBUTE, String.class).orElse(null);
        if (authentication == null || token == null) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        return Mono.fromCallable(() -> authorizer.can(token, METRICS_PATH, "read")
                ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED).subscribeOn(blocking);
    }

    @Override
    public int getOrder() {
        return SecuredAnnotationRule.ORDER - 100;
    }
}
