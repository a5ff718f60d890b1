package io.identitybroker.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.PageTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Filtered, keyset-paged reads of agents and of expiring certificates. Pages are keyed on ids the
 * broker minted (UUIDv7, time-ordered), so a page is one indexed range scan whatever the offset,
 * and agents enrolled while a client pages never shift or repeat what it already saw. A page costs
 * three queries (ids, agents, their bindings), never one per agent.
 *
 * <p>Labels are matched in SQL against their stored form, Jackson's compact JSON of a sorted map:
 * the filter's {@code "key":"value"} pair, JSON-escaped the same way, cannot occur inside another
 * key or value because quotes there are escaped.
 */
@Singleton
public class AgentInventory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal THREE = BigDecimal.valueOf(3);

    private final JdbcOperations jdbc;
    private final AgentRepository agents;
    private final CertificateBindingRepository bindings;
    private final Clock clock;

    /** One page, and the token of the next when there may be more (null on the last page). */
    public record Page<T>(List<T> items, @Nullable String nextPageToken) {
    }

    /** A current certificate in the fleet report. */
    public record ExpiringCertificate(String tenant, String agentId, String spiffeId, String serialNumber,
                                      @JsonProperty("x5t#S256") String x5tS256, Instant notBefore, Instant notAfter) {
    }

    public AgentInventory(JdbcOperations jdbc, AgentRepository agents, CertificateBindingRepository bindings, Clock clock) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.bindings = bindings;
        this.clock = clock;
    }

    /** One tenant's agents matching {@code q}, newest first, each with its bindings. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<AgentView> agents(String tenantId, AgentQuery q) {
        StringBuilder sql = new StringBuilder("SELECT a.id FROM agents a WHERE a.tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (q.status() != null) {
            sql.append(" AND a.status = ?");
            args.add(q.status().name());
        }
        if (q.afterId() != null) {
            sql.append(" AND a.id < ?");
            args.add(q.afterId());
        }
        for (Map.Entry<String, String> label : q.labels().entrySet()) {
            sql.append(" AND a.labels LIKE ? ESCAPE '!'");
            args.add("%" + likeLiteral(json(label.getKey()) + ":" + json(label.getValue())) + "%");
        }
        if (q.expiringBefore() != null || q.renewalOverdue()) {
            sql.append(" AND EXISTS (SELECT 1 FROM certificate_bindings b WHERE b.agent_id = a.id AND b.status = 'CURRENT'");
            if (q.expiringBefore() != null) {
                sql.append(" AND b.not_after < ?");
                args.add(Timestamp.from(q.expiringBefore()));
            }
            if (q.renewalOverdue()) {
                // not_before + 2/3 (not_after - not_before) < now, in epoch seconds and without division
                sql.append(" AND EXTRACT(EPOCH FROM b.not_before) + 2 * EXTRACT(EPOCH FROM b.not_after) < ?");
                args.add(epochSeconds(clock.instant()).multiply(THREE));
            }
            sql.append(")");
        }
        sql.append(" ORDER BY a.id DESC LIMIT ?");
        args.add(q.pageSize() + 1);
        List<String> ids = query(sql.toString(), args, rs -> rs.getString(1));
        boolean more = ids.size() > q.pageSize();
        List<String> page = more ? ids.subList(0, q.pageSize()) : ids;
        return new Page<>(views(page), more ? PageTokens.encode(page.get(page.size() - 1)) : null);
    }

    /** The agents with these ids, in this order, each with its bindings (newest first): two queries. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AgentView> views(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Agent> byId = agents.findByIdIn(ids).stream().collect(Collectors.toMap(Agent::id, Function.identity()));
        Map<String, List<CertificateBinding>> bindingsOf = bindings.findByAgentIdInOrderByCreatedAtDesc(ids).stream()
                .collect(Collectors.groupingBy(CertificateBinding::agentId));
        return ids.stream().filter(byId::containsKey)
                .map(id -> AgentView.of(byId.get(id), bindingsOf.getOrDefault(id, List.of()))).toList();
    }

    /**
     * Current certificates of these tenants that expire before {@code before}, soonest first, after
     * the position {@code after} ({@code <not_after>|<binding id>} of the previous page's last one).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<ExpiringCertificate> expiring(Collection<String> tenantIds, Instant before, int pageSize,
                                              @Nullable String after) {
        if (tenantIds.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        StringBuilder sql = new StringBuilder("""
                SELECT b.id, b.tenant_id, b.agent_id, a.spiffe_id, b.serial_number, b.x5t_s256, b.not_before, b.not_after
                FROM certificate_bindings b JOIN agents a ON a.id = b.agent_id
                WHERE b.status = 'CURRENT' AND b.not_after < ? AND b.tenant_id IN (""");
        List<Object> args = new ArrayList<>(List.of(Timestamp.from(before)));
        sql.append(String.join(", ", tenantIds.stream().map(t -> "?").toList())).append(")");
        args.addAll(tenantIds);
        if (after != null) {
            int bar = after.indexOf('|');
            Timestamp afterTime = Timestamp.from(Instant.parse(after.substring(0, bar)));
            sql.append(" AND (b.not_after > ? OR (b.not_after = ? AND b.id > ?))");
            args.addAll(List.of(afterTime, afterTime, after.substring(bar + 1)));
        }
        sql.append(" ORDER BY b.not_after, b.id LIMIT ?");
        args.add(pageSize + 1);
        record Row(String bindingId, ExpiringCertificate certificate) {
        }
        List<Row> rows = query(sql.toString(), args, rs -> new Row(rs.getString(1), new ExpiringCertificate(
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant())));
        boolean more = rows.size() > pageSize;
        List<Row> page = more ? rows.subList(0, pageSize) : rows;
        Row last = more ? page.get(page.size() - 1) : null;
        return new Page<>(page.stream().map(Row::certificate).toList(),
                last == null ? null : PageTokens.encode(last.certificate().notAfter() + "|" + last.bindingId()));
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> args, RowMapper<T> mapper) {
        return jdbc.prepareStatement(sql, (PreparedStatement ps) -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        });
    }

    private static BigDecimal epochSeconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9));
    }

    private static String json(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code s} as a LIKE pattern that matches only itself (escape character {@code !}). */
    private static String likeLiteral(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
