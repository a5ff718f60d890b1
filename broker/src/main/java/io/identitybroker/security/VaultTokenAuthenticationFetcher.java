package io.identitybroker.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Authenticates admins by their Vault token ({@code Authorization: Bearer} or {@code X-Vault-Token}).
 * Vault says whether the token is valid; the token itself stays in a request attribute for the
 * capability rule and never enters the {@link Authentication} (which may be logged or serialised).
 */
@Singleton
public class VaultTokenAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    static final String TOKEN_ATTRIBUTE = "identitybroker.admin-token";
    private static final String BEARER = "Bearer ";
    private static final String INTROSPECTION_PATH = "/oauth2/introspect";

    private final AdminAuthorizer authorizer;
    private final Scheduler blocking;

    public VaultTokenAuthenticationFetcher(AdminAuthorizer authorizer,
                                           @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.authorizer = authorizer;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        Optional<String> token = tokenOf(request);
        if (token.isEmpty()) {
            return Publishers.empty();
        }
        if (isHealthPath(request.getPath())) {
            return healthReader(request, token.get());
        }
        if (!isAdminRoute(request)) {
            return Publishers.empty();
        }
        return Mono.fromCallable(() -> authorizer.identify(token.get()))
                .subscribeOn(blocking)
                .flatMap(identity -> identity.map(id -> {
                    request.setAttribute(TOKEN_ATTRIBUTE, token.get());
                    String name = "vault:" + id.displayName() + (id.entityId().isEmpty() ? "" : "#" + id.entityId());
                    return Mono.just(Authentication.build(name, Map.of("entity_id", id.entityId())));
                }).orElseGet(Mono::empty));
    }

    /**
     * On {@code /health} a token only matters for the details (details-visible: AUTHENTICATED), which
     * need the same right as the metrics: a token without it, an invalid one, or a Vault that
     * cannot answer leaves the caller anonymous, so health always answers (UP/DOWN without details).
     */
    private Publisher<Authentication> healthReader(HttpRequest<?> request, String token) {
        return Mono.fromCallable(() -> authorizer.identify(token)
                        .filter(id -> authorizer.can(token, MetricsEndpointRule.METRICS_PATH, "read"))
                        .map(id -> Authentication.build("vault:" + id.displayName(), Map.of("entity_id", id.entityId()))))
                .subscribeOn(blocking)
                .flatMap(found -> found.map(Mono::just).orElseGet(Mono::empty))
                .onErrorResume(e -> Mono.empty());
    }

    static boolean isHealthPath(String path) {
        return path.equals("/health") || path.startsWith("/health/");
    }

    /**
     * Agent and OAuth routes authenticate differently; a Vault token there is ignored. The one
     * exceptions are introspection, which resource servers may call with a Vault token (matched
     * exactly, so no other {@code /oauth2} route ever sees an admin identity), the fleet reports under
     * {@code /api/v1/certificates/}, and the operators' metrics endpoint.
     */
    private static boolean isAdminRoute(HttpRequest<?> request) {
        String path = request.getPath();
        return path.startsWith("/api/v1/tenants") || path.startsWith("/api/v1/trust-domains")
                || path.startsWith("/api/v1/certificates/") || path.equals(INTROSPECTION_PATH)
                || MetricsEndpointRule.isMetricsPath(path);
    }

    static Optional<String> tokenOf(HttpRequest<?> request) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.ofNullable(request.getHeaders().get("X-Vault-Token")).filter(t -> !t.isBlank());
    }
}
