package io.identitybroker.enrollment;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/tenants/{tenant}/enrollment-tokens}.
 *
 * @param ttlSeconds lifetime; default 3600, at most {@code broker.enrollment.max-token-ttl}
 * @param maxUses    how many agents may enroll with it; default 1, at most 1000
 * @param scopes     the OAuth2 scopes agents enrolled with it may request
 */
@Introspected
public record EnrollmentTokenRequest(@Nullable Long ttlSeconds, @Nullable Integer maxUses, @Nullable String agentName,
                                     @Nullable Map<String, String> labels, @Nullable List<String> scopes) {
}
