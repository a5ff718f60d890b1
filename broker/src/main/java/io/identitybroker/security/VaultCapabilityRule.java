package io.identitybroker.security;

import io.identitybroker.api.ProblemType;
import io.identitybroker.ids.ResourceIds;
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
import java.util.HashMap;
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
 *
 * <p>Path ids are checked against the broker's creation rules ({@link ResourceIds}) before any
 * Vault path is built. A malformed tenant id is a 404 {@code tenant_not_found} at once, without a
 * Vault call. A malformed agent or token id is asked about as the never-minted id
 * {@link ResourceIds#NEVER_MINTED}, so the caller gets exactly what an unknown id would give it
 * (404 for a hidden tenant, 403 without the capability, else 404 for the resource), and Vault never
 * sees the malformed text.
 */
@Singleton
public class VaultCapabilityRule implements SecurityRule<HttpRequest<?>> {
    static final String HIDDEN_ATTRIBUTE = "identitybroker.tenant-hidden";
    /** Set to the problem type when an allowed request named a resource by a malformed id. */
    static final String NOT_FOUND_ATTRIBUTE = "identitybroker.resource-not-found";
    /** The not-found problem type per id-carrying path variable; any other variable must be a plain segment. */
    private static final Map<String, ProblemType> ROW_ID_VARIABLES = Map.of("agent_id", ProblemType.AGENT_NOT_FOUND,
            "agentId", ProblemType.AGENT_NOT_FOUND, "id", ProblemType.ENROLLMENT_TOKEN_NOT_FOUND);
    /** Foreign trust domain names carry dots; they are checked by the SPIFFE trust domain rule instead. */
    private static final String TRUST_DOMAIN_VARIABLE = "name";
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");
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
        Map<String, Object> variables = new HashMap<>(match.getVariableValues());
        Object tenant = variables.get("tenant");
        if (tenant != null && !ResourceIds.isTenant(tenant.toString())) {
            request.setAttribute(HIDDEN_ATTRIBUTE, Boolean.TRUE);
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        ProblemType notFound = null;
        for (Map.Entry<String, Object> v : variables.entrySet()) {
            String value = String.valueOf(v.getValue());
            ProblemType code = ROW_ID_VARIABLES.get(v.getKey());
            boolean wellFormed = v.getKey().equals("tenant") || (code != null ? ResourceIds.isUuid(value)
                    : v.getKey().equals(TRUST_DOMAIN_VARIABLE) ? ResourceIds.isTrustDomain(value)
                    : PLAIN_SEGMENT.matcher(value).matches());
            if (!wellFormed) {
                v.setValue(ResourceIds.NEVER_MINTED);
                notFound = code != null ? code : v.getKey().equals(TRUST_DOMAIN_VARIABLE) ? ProblemType.TRUST_DOMAIN_NOT_FOUND : ProblemType.NOT_FOUND;
            }
        }
        String path = fill(annotation.stringValue("path").orElseThrow(), variables);
        String capability = annotation.stringValue("capability").orElseThrow();
        ProblemType malformed = notFound;
        return Mono.fromCallable(() -> {
            SecurityRuleResult result = decide(request, token, path, capability, tenant == null ? null : tenant.toString());
            if (result == SecurityRuleResult.ALLOWED && malformed != null) {
                // Allowed for an id that cannot exist: the unknown id's 404, before the route ever sees it.
                request.setAttribute(NOT_FOUND_ATTRIBUTE, malformed);
                return SecurityRuleResult.REJECTED;
            }
            return result;
        }).subscribeOn(blocking);
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
