package io.identitybroker.agent;

import io.identitybroker.api.PageTokens;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.ids.ResourceIds;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The filters of an agent inventory page, all combined with AND: agent status, current certificate
 * expiring before an instant, renewal overdue (the current certificate is past two thirds of its
 * lifetime), labels (each {@code key=value} must match), and the keyset position ({@code afterId}:
 * the page continues with older agents). A malformed filter is 400 {@code invalid_agent_query}, a
 * malformed page size 400 {@code invalid_paging}, a malformed token 400 {@code invalid_page_token}.
 */
public record AgentQuery(@Nullable AgentStatus status, @Nullable Instant expiringBefore, boolean renewalOverdue,
                         Map<String, String> labels, int pageSize, @Nullable String afterId) {
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?");

    public static AgentQuery of(HttpParameters p) {
        String status = single(p, "status");
        AgentStatus agentStatus = null;
        if (status != null) {
            agentStatus = switch (status) {
                case "active" -> AgentStatus.ACTIVE;
                case "revoked" -> AgentStatus.REVOKED;
                default -> throw invalid("status is 'active' or 'revoked'.");
            };
        }
        String overdue = single(p, "renewal_overdue");
        if (overdue != null && !overdue.equals("true") && !overdue.equals("false")) {
            throw invalid("renewal_overdue is 'true' or 'false'.");
        }
        List<String> labelFilters = p.getAll("label");
        if (labelFilters.size() > 32) {
            throw invalid("At most 32 label filters.");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : labelFilters) {
            int eq = l.indexOf('=');
            String key = eq < 0 ? "" : l.substring(0, eq);
            String value = eq < 0 ? "" : l.substring(eq + 1);
            if (!LABEL_KEY.matcher(key).matches() || value.length() > 256 || value.chars().anyMatch(Character::isISOControl)
                    || (labels.containsKey(key) && !labels.get(key).equals(value))) {
                throw invalid("label is key=value (key [a-z0-9._/-], value up to 256 printable characters), once per key.");
            }
            labels.put(key, value);
        }
        return new AgentQuery(agentStatus, instant(single(p, "expiring_before"), "expiring_before", ProblemType.INVALID_AGENT_QUERY),
                "true".equals(overdue), labels, pageSize(single(p, "page_size")),
                PageTokens.decode(single(p, "page_token"), ResourceIds::isUuid));
    }

    /** {@code page_size}: 1 to 1000, default 100; else 400 {@code invalid_paging}. */
    static int pageSize(@Nullable String value) {
        if (value == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_PAGE_SIZE) {
            throw new ProblemException(ProblemType.INVALID_PAGING, "page_size must be 1.." + MAX_PAGE_SIZE + ".");
        }
        return Integer.parseInt(value);
    }

    /** An RFC 3339 instant ({@code 2026-12-01T00:00:00Z}), or 400 with the problem {@code type}. */
    static Instant instant(@Nullable String value, String name, ProblemType type) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(type, name + " is an RFC 3339 instant such as 2026-12-01T00:00:00Z.");
        }
    }

    /** The parameter's only value; a repeated one is ambiguous. */
    static String single(HttpParameters p, String name) {
        List<String> all = p.getAll(name);
        if (all.size() > 1) {
            throw invalid(name + " is given more than once.");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_AGENT_QUERY, detail);
    }
}
