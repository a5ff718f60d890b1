package io.identitybroker.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

/**
 * A test class with one real broker for all its tests: the shared test Vault, a fresh database
 * ({@link #databaseProperties()}: H2 unless overridden), and the tenants of {@link #tenants()}
 * created through the API.
 */
@ExtendWith(VaultExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrokerTest {
    protected TestVault vault;
    protected BrokerInstance broker;
    protected BrokerApi api;
    protected Fixtures fixtures;

    /** Extra broker properties, e.g. another database. */
    protected Map<String, Object> databaseProperties() {
        return Map.of();
    }

    protected List<String> tenants() {
        return List.of("acme");
    }

    @BeforeAll
    void startBroker(TestVault testVault) {
        vault = testVault;
        broker = BrokerInstance.start(vault, databaseProperties());
        api = broker.api();
        fixtures = new Fixtures(api, vault);
        tenants().forEach(fixtures::tenant);
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
