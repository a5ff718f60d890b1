package io.identitybroker.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.security.RequiresCapability;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading and verifying a tenant's audit chain. */
@Controller("/api/v1/tenants/{tenant:[^/]+}/audit-events")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AuditController {
    private static final int MAX_LIMIT = 1000;
    private static final ObjectMapper READER = new ObjectMapper();

    private final AuditLog auditLog;
    private final AuditedTenants tenants;

    public AuditController(AuditLog auditLog, AuditedTenants tenants) {
        this.auditLog = auditLog;
        this.tenants = tenants;
    }

    @Get
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/audit", capability = "read")
    public Map<String, Object> list(@PathVariable String tenant, @Nullable @QueryValue String type,
                                    @Nullable @QueryValue("after_seq") Long afterSeq,
                                    @Nullable @QueryValue Integer limit) {
        tenants.requireKnown(tenant);
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_LIMIT || (afterSeq != null && afterSeq < 0)) {
            throw new ProblemException(ProblemType.INVALID_PAGING, "limit must be 1.." + MAX_LIMIT + " and after_seq >= 0.");
        }
        List<AuditEvent> page = auditLog.page(tenant, type, afterSeq == null ? 0 : afterSeq, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", page.stream().map(AuditController::view).toList());
        body.put("next_after_seq", page.size() == size ? page.get(page.size() - 1).seq() : null);
        return body;
    }

    @Get("/verify")
    @RequiresCapability(path = "identity-broker/tenants/{tenant}/audit", capability = "read")
    public ChainVerification verify(@PathVariable String tenant) {
        tenants.requireKnown(tenant);
        return auditLog.verify(tenant);
    }

    static Map<String, Object> view(AuditEvent e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("seq", e.seq());
        v.put("at", e.at().toString());
        v.put("tenant", e.tenant());
        v.put("type", e.type());
        v.put("actor", e.actor());
        v.put("subject", e.subject());
        v.put("outcome", e.outcome());
        v.put("correlation_id", e.correlationId());
        v.put("details", parse(e.details()));
        v.put("prev_hash", e.prevHash());
        v.put("hash", e.hash());
        return v;
    }

    private static JsonNode parse(String json) {
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException e) {
            return READER.getNodeFactory().textNode(json);
        }
    }
}
