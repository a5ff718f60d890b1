package io.identitybroker.tenant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A tenant as stored. */
@MappedEntity("tenants")
public record Tenant(@Id String id, String displayName, String trustDomain, String pkiMount, String pkiRole,
                     TenantStatus status, Instant createdAt, Instant updatedAt) {

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }
}
