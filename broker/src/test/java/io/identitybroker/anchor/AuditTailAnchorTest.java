package io.identitybroker.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, the audit chain proves its own tail: verification reports the last seq and hash it
 * verified, the broker anchors each chain's head in Vault KV, and a chain cut back behind its
 * anchor (a database restored from an older backup, rows deleted) verifies as truncated; one
 * that then grows again past the anchor with other events verifies as diverged.
 */
@ExtendWith(VaultExtension.class)
class AuditTailAnchorTest {

    @Test
    void aTailCutBehindTheAnchoredHeadIsReportedTruncatedThenDiverged(TestVault vault) throws Exception {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.audit.anchor.interval", "1s"))) {
            BrokerApi api = broker.api();
            Fixtures fixtures = new Fixtures(api, vault);
            fixtures.tenant("acme");
            for (int i = 0; i < 4; i++) {
                fixtures.token("acme", 1, 600);
            }
            Map<String, Object> head = broker.query("SELECT seq, hash FROM audit_chain_heads WHERE chain = 'acme'").get(0);
            long headSeq = ((Number) head.get("seq")).longValue();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (broker.count("SELECT count(*) FROM broker_installation") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200); // created by the first anchoring round
            }
            String installation = (String) broker.query("SELECT installation_id FROM broker_installation").get(0)
                    .get("installation_id");
            String anchorPath = "identity-broker-kv/data/audit-anchors/" + installation + "/acme";
            while (anchoredSeq(vault, anchorPath) < headSeq && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(headSeq, anchoredSeq(vault, anchorPath), "the head was anchored in Vault");

            JsonNode ok = verify(api, vault);
            assertTrue(ok.path("valid").asBoolean(), ok.toString());
            assertEquals("matches", ok.path("anchor").asText());
            assertEquals(headSeq, ok.path("last_seq").asLong());
            assertEquals(head.get("hash"), ok.path("last_hash").asText());

            // What a restore from an older backup leaves: the last two events and the head moved back.
            Map<String, Object> older = broker.query("SELECT seq, hash FROM audit_events WHERE chain = 'acme' AND seq = ?",
                    headSeq - 2).get(0);
            broker.update("DELETE FROM audit_events WHERE chain = 'acme' AND seq > ?", headSeq - 2);
            broker.update("UPDATE audit_chain_heads SET seq = ?, hash = ? WHERE chain = 'acme'", headSeq - 2, older.get("hash"));
            JsonNode cut = verify(api, vault);
            assertFalse(cut.path("valid").asBoolean(), cut.toString());
            assertEquals("truncated", cut.path("anchor").asText());
            assertEquals(headSeq - 2, cut.path("last_seq").asLong());
            assertEquals(headSeq, cut.path("anchored_seq").asLong());
            assertEquals(0, cut.path("events_checked").asLong() - (headSeq - 2), "every remaining event still links");

            fixtures.token("acme", 1, 600);
            fixtures.token("acme", 1, 600);
            JsonNode regrown = verify(api, vault);
            assertFalse(regrown.path("valid").asBoolean(), regrown.toString());
            assertEquals("diverged", regrown.path("anchor").asText());
            Thread.sleep(1500);
            assertEquals(headSeq, anchoredSeq(vault, anchorPath), "an anchor never moves to another history");
        }
    }

    private static JsonNode verify(BrokerApi api, TestVault vault) {
        BrokerApi.Response r = api.get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme"));
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    private static long anchoredSeq(TestVault vault, String path) {
        TestVault.Answer a = vault.requestAs(vault.rootToken(), "GET", path, null);
        return a.status() == 200 ? a.body().path("data").path("data").path("seq").asLong() : -1;
    }
}
