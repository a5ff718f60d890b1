package io.identitybroker.agent;

import io.identitybroker.api.PageTokens;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.ids.ResourceIds;
import io.identitybroker.security.AdminAuthorizer;
import io.identitybroker.security.AdminTokens;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet report: current certificates expiring before an instant, across every tenant whose
 * agents the caller may {@code read} (asked of Vault in one call, as {@code GET /api/v1/tenants}
 * does); tenants it may not read are left out silently, so the report reveals no tenant. Vault
 * unreachable → 503, never a partial report.
 */
@Controller("/api/v1/certificates/expiring")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ExpiringCertificatesController {
    private final TenantService tenants;
    private final AdminAuthorizer authorizer;
    private final AgentInventory inventory;

    public ExpiringCertificatesController(TenantService tenants, AdminAuthorizer authorizer, AgentInventory inventory) {
        this.tenants = tenants;
        this.authorizer = authorizer;
        this.inventory = inventory;
    }

    @Get
    public Map<String, Object> expiring(HttpRequest<?> request) {
        HttpParameters p = request.getParameters();
        String beforeValue = AgentQuery.single(p, "before");
        if (beforeValue == null) {
            throw new ProblemException(ProblemType.INVALID_CERTIFICATE_QUERY, "before (an RFC 3339 instant) is required.");
        }
        Instant before = AgentQuery.instant(beforeValue, "before", ProblemType.INVALID_CERTIFICATE_QUERY);
        int pageSize = AgentQuery.pageSize(AgentQuery.single(p, "page_size"));
        String after = PageTokens.decode(AgentQuery.single(p, "page_token"), ExpiringCertificatesController::isPosition);

        String token = AdminTokens.of(request);
        List<String> all = tenants.all().stream().map(Tenant::id).toList();
        Map<String, Set<String>> caps = authorizer.capabilitiesOf(token, all.stream().map(ExpiringCertificatesController::agentsPath).toList());
        List<String> readable = all.stream()
                .filter(t -> AdminAuthorizer.grants(caps.getOrDefault(agentsPath(t), Set.of()), "read")).toList();

        AgentInventory.Page<AgentInventory.ExpiringCertificate> page = inventory.expiring(readable, before, pageSize, after);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("certificates", page.items());
        body.put("next_page_token", page.nextPageToken());
        return body;
    }

    private static String agentsPath(String tenant) {
        return AdminAuthorizer.tenantPath(tenant) + "/agents";
    }

    /** {@code <instant>|<binding id>}, as {@link AgentInventory#expiring} writes it. */
    private static boolean isPosition(String key) {
        int bar = key.indexOf('|');
        if (bar < 0 || !ResourceIds.isUuid(key.substring(bar + 1))) {
            return false;
        }
        try {
            Instant.parse(key.substring(0, bar));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
