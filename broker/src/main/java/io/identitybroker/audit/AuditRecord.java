package io.identitybroker.audit;

import io.identitybroker.api.RequestContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a capability asks the audit log to record. Details must never contain secrets, tokens or
 * private material: callers pass identifiers, serials, thumbprints and reason codes only.
 */
public record AuditRecord(String tenant, String type, String actor, String subject, String outcome,
                          String correlationId, Map<String, Object> details) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";

    public static AuditRecord success(String type, String tenant, String subject, RequestContext ctx) {
        return new AuditRecord(tenant, type, ctx.actor(), subject, SUCCESS, ctx.correlationId(), new LinkedHashMap<>())
                .with("protocol", ctx.protocol() == null ? null : ctx.protocol().detail());
    }

    public static AuditRecord failure(String type, String tenant, String subject, RequestContext ctx, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        return new AuditRecord(tenant, type, ctx.actor(), subject, FAILURE, ctx.correlationId(), details)
                .with("protocol", ctx.protocol() == null ? null : ctx.protocol().detail());
    }

    /** Adds a detail (null values are left out). */
    public AuditRecord with(String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
        return this;
    }
}
