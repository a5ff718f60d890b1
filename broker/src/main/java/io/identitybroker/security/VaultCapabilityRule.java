package io.identitybroker.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides admin routes by the Vault capability named in {@link RequiresCapability}. When the caller
 * lacks it, the answer is 404 if it cannot even read the tenant (the tenant does not exist for it)
 * and 403 otherwise; {@link ProblemAuthorizationExceptionHandler} renders both.
 */
@Singleton
public class VaultCapabilityRule implements SecurityRule<HttpRequest<?>> {
    static final String HIDDEN_ATTRIBUTE = "identitybroker.tenant-hidden";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private final AdminAuthorizer authorizer;
    private final Scheduler blocking;

    public VaultCapabilityRule(AdminAuthorizer authorizer, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.authorizer = authorizer;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        RouteMatch<?> route = RouteAttributes.getRouteMatch(request).orElse(null);
        if (!(route instanceof UriRouteMatch<?, ?> match)) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        var annotation = match.getAnnotationMetadata().findAnnotation(RequiresCapability.class).orElse(null);
        if (annotation == null) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        String token = request.getAttribute(VaultTokenAuthenticationFetcher.TOKEN_ATTRIBUTE, String.class).orElse(null);
        if (authentication == null || token == null) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        Map<String, Object> variables = match.getVariableValues();
        String path = fill(annotation.stringValue("path").orElseThrow(), variables);
        String capability = annotation.stringValue("capability").orElseThrow();
        Object tenant = variables.get("tenant");
        return Mono.fromCallable(() -> decide(request, token, path, capability, tenant == null ? null : tenant.toString()))
                .subscribeOn(blocking);
    }

    private SecurityRuleResult decide(HttpRequest<?> request, String token, String path, String capability, String tenant) {
        List<String> paths = new ArrayList<>(List.of(path));
        String tenantPath = tenant == null ? null : AdminAuthorizer.tenantPath(tenant);
        if (tenantPath != null && !tenantPath.equals(path)) {
            paths.add(tenantPath);
        }
        Map<String, Set<String>> caps = authorizer.capabilitiesOf(token, paths);
        if (AdminAuthorizer.grants(caps.getOrDefault(path, Set.of()), capability)) {
            return SecurityRuleResult.ALLOWED;
        }
        if (tenantPath != null && !AdminAuthorizer.grants(caps.getOrDefault(tenantPath, Set.of()), "read")) {
            request.setAttribute(HIDDEN_ATTRIBUTE, Boolean.TRUE);
        }
        return SecurityRuleResult.REJECTED;
    }

    static String fill(String template, Map<String, Object> variables) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("Route has no variable " + m.group(1) + " for " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public int getOrder() {
        // Before @Secured: a capability route is decided here, @Secured only guards the rest.
        return SecuredAnnotationRule.ORDER - 100;
    }
}
