package io.identitybroker.issuance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciler's conclusions that need no crash to set up: an intent Vault never signed for is
 * closed as {@code not_signed} with its event; an intent on a role that keeps no copies of what
 * it signs cannot be concluded and stays open; a young intent (a live request's) is left alone.
 */
@ExtendWith(VaultExtension.class)
class IssuanceReconcilerTest {

    @Test
    void staleIntentsAreClosedOnlyWhenVaultCanTellAndYoungOnesAreLeftAlone(TestVault vault) throws Exception {
        // globex's own agent role, switched to no_store for this test and restored after it.
        Map<String, Object> original = new ObjectMapper().convertValue(
                vault.request("GET", "pki-tenants/globex/roles/agent", null).path("data"), Map.class);
        Map<String, Object> noStore = new java.util.HashMap<>(original);
        noStore.put("no_store", true);
        vault.request("POST", "pki-tenants/globex/roles/agent", noStore);
        try (BrokerInstance broker = BrokerInstance.start(vault,
                Map.of("broker.issuance.reconcile-initial-delay", "1h"))) {
            Fixtures fixtures = new Fixtures(broker.api(), vault);
            fixtures.tenant("acme");
            fixtures.tenant("globex"); // its role is checked at creation: no_store does not matter there
            Instant old = Instant.now().minusSeconds(3600);
            String neverSigned = intent(broker, vault, "acme", "agent", old);
            String unknowable = intent(broker, vault, "globex", "agent", old);
            String live = intent(broker, vault, "acme", "agent", Instant.now());

            assertEquals(1, broker.context().getBean(IssuanceReconciler.class).reconcileStale());
            assertEquals(0, broker.count("SELECT count(*) FROM issuance_intents WHERE id = ?", neverSigned));
            assertEquals(1, broker.count("SELECT count(*) FROM audit_events WHERE type = 'agent.issuance.reconciled'"
                    + " AND details LIKE ? AND details LIKE '%\"result\":\"not_signed\"%'", "%" + neverSigned + "%"));
            assertEquals(1, broker.count("SELECT count(*) FROM issuance_intents WHERE id = ?", unknowable),
                    "no_store: nothing can be concluded, the intent stays open");
            assertEquals(1, broker.count("SELECT count(*) FROM issuance_intents WHERE id = ?", live), "a live request's intent");
            assertTrue(broker.count("SELECT count(*) FROM issuance_intents WHERE id = ? AND claimed_until IS NULL", live) == 1);
        } finally {
            vault.request("POST", "pki-tenants/globex/roles/agent", original);
            assertEquals(false, vault.request("GET", "pki-tenants/globex/roles/agent", null).path("data").path("no_store")
                    .asBoolean(), "globex's role restored");
        }
    }

    private static String intent(BrokerInstance broker, TestVault vault, String tenant, String role, Instant at) {
        String id = UUID.randomUUID().toString();
        String agent = UUID.randomUUID().toString();
        broker.update("INSERT INTO issuance_intents (id, kind, tenant_id, pki_mount, pki_role, agent_id, spiffe_id, created_at)"
                        + " VALUES (?, 'enrollment', ?, ?, ?, ?, ?, ?)", id, tenant, "pki-tenants/" + tenant, role, agent,
                "spiffe://" + vault.trustDomain() + "/tenant/" + tenant + "/agent/" + agent, Timestamp.from(at));
        return id;
    }
}
