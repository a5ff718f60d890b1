package io.identitybroker.tenant;

import io.identitybroker.testing.BrokerTest;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TenantService#find} reads a tenant with plain JDBC; it must map every column as the repository does. */
class TenantLookupTest extends BrokerTest {

    @Test
    void whenATenantIsFoundThenItEqualsWhatTheRepositoryReads() {
        Optional<Tenant> found = broker.context().getBean(TenantService.class).find("acme");

        assertTrue(found.isPresent());
        assertEquals(broker.context().getBean(TenantRepository.class).findById("acme"), found);
    }

    @Test
    void whenNoTenantHasTheIdThenNoneIsFound() {
        assertEquals(Optional.empty(), broker.context().getBean(TenantService.class).find("no-such-tenant"));
    }
}
