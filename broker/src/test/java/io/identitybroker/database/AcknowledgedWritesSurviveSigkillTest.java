package io.identitybroker.database;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerProcess;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.MtlsClient;
import io.identitybroker.testing.TestPostgres;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: a 2xx that changed state survives {@code kill -9} of the broker right after the
 * response. A real broker process acknowledges a burst of changes (tenant update, token issue and
 * revoke, a redemption, a certificate and a secret rotation, a secret revocation, and last an
 * agent revocation), is killed with SIGKILL the moment the last response arrives, and is started
 * again on the same data: every change is still there. On the default H2 URL (in the process's
 * own working directory, so the broker's default {@code ./data/broker} applies) and on PostgreSQL.
 */
@ExtendWith(VaultExtension.class)
class AcknowledgedWritesSurviveSigkillTest {

    @Test
    void onTheDefaultH2DatabaseEveryAcknowledgedChangeSurvivesSigkill(TestVault vault) throws Exception {
        Path workDir = Files.createTempDirectory("broker-crash-h2-");
        runScenario(vault, Map.of("datasources.default.url", BrokerProcess.DEFAULT), workDir);
        assertTrue(Files.exists(workDir.resolve("data/broker.mv.db")), "the broker used its default H2 file");
    }

    @Test
    void onPostgresEveryAcknowledgedChangeSurvivesSigkill(TestVault vault) throws Exception {
        runScenario(vault, TestPostgres.freshDatabase(), null);
    }

    private static void runScenario(TestVault vault, Map<String, Object> db, Path workDir) throws Exception {
        BrokerProcess first = BrokerProcess.start(vault, db, workDir);
        Acknowledged ack;
        try {
            ack = acknowledgeAndKill(vault, first);
        } finally {
            first.close();
        }
        try (BrokerProcess restarted = first.restart()) {
            assertSurvived(vault, restarted, ack);
        }
    }

    /** What the first process acknowledged before it was killed. */
    private record Acknowledged(EnrolledAgent revoked, String revokedAgentsToken, EnrolledAgent rotated,
                                EnrolledAgent secretRevoked, String spentToken, String revokedTokenId,
                                String revokedTokenSecret, String issuedTokenSecret, String oldSecret) {
    }

    private static Acknowledged acknowledgeAndKill(TestVault vault, BrokerProcess broker) {
        BrokerApi api = broker.api();
        Fixtures fixtures = new Fixtures(api, vault);
        fixtures.tenant("acme");
        fixtures.tenant("globex");
        EnrolledAgent toRevoke = EnrolledAgent.enroll(fixtures, "acme", List.of("orders.read"));
        EnrolledAgent toRotate = EnrolledAgent.enroll(fixtures, "acme", List.of("orders.read"));
        EnrolledAgent toCut = EnrolledAgent.enroll(fixtures, "acme", List.of("orders.read"));
        String accessToken = accessToken(mtls(broker, vault, toRevoke), toRevoke);
        String toRedeem = fixtures.tokenSecret("acme");
        JsonNode toWithdraw = fixtures.token("acme", 1, 600);

        // The burst: each change acknowledged, the last one followed at once by SIGKILL.
        assertEquals(200, api.send("PATCH", "/api/v1/tenants/globex", Map.of("status", "suspended"),
                vault.platformAdminToken(), Map.of()).status());
        String issued = fixtures.tokenSecret("acme");
        assertEquals(204, api.send("DELETE", "/api/v1/tenants/acme/enrollment-tokens/" + toWithdraw.path("id").asText(),
                null, vault.adminToken("acme"), Map.of()).status());
        Csrs.Csr redeemCsr = Csrs.p256();
        BrokerApi.Response redeemed = fixtures.exchange(toRedeem, redeemCsr.pem());
        assertEquals(200, redeemed.status(), redeemed.raw());
        Csrs.Csr rotateCsr = Csrs.p256();
        BrokerApi.Response rotation = mtls(broker, vault, toRotate).send("POST", toRotate.path() + "/certificate/rotate",
                Map.of("csr", rotateCsr.pem()), null, toRotate.basic());
        assertEquals(200, rotation.status(), rotation.raw());
        EnrolledAgent rotated = toRotate.rotated(rotateCsr.keys(), rotation.body());
        BrokerApi.Response newSecret = mtls(broker, vault, rotated).send("POST", rotated.path() + "/rotate-secret",
                null, null, rotated.basic());
        assertEquals(200, newSecret.status(), newSecret.raw());
        rotated = rotated.withSecret(newSecret.body().path("agent_secret").asText());
        BrokerApi.Response cut = api.post("/api/v1/tenants/acme/agents/" + toCut.agentId() + "/revoke-secret", null,
                vault.adminToken("acme"));
        assertEquals(200, cut.status(), cut.raw());
        BrokerApi.Response revoked = api.post("/api/v1/tenants/acme/agents/" + toRevoke.agentId() + "/revoke", null,
                vault.adminToken("acme"));
        int exit = broker.kill();
        assertEquals(200, revoked.status(), revoked.raw());
        assertEquals(137, exit, "SIGKILL (128 + 9)");
        return new Acknowledged(toRevoke, accessToken, rotated, toCut, toRedeem, toWithdraw.path("id").asText(),
                toWithdraw.path("token").asText(), issued, toRotate.secret());
    }

    private static void assertSurvived(TestVault vault, BrokerProcess broker, Acknowledged ack) {
        BrokerApi api = broker.api();
        Fixtures fixtures = new Fixtures(api, vault);

        // The revoked agent: refused on mTLS routes and at the token endpoint; its token is inactive.
        EnrolledAgent revoked = ack.revoked();
        BrokerApi.Response self = mtls(broker, vault, revoked).send("GET", revoked.path(), null, null, revoked.basic());
        assertEquals(401, self.status(), self.raw());
        BrokerApi.Response token = mtls(broker, vault, revoked).postForm("/oauth2/token",
                "grant_type=client_credentials&client_id=" + revoked.agentId(), null);
        assertTrue(400 <= token.status() && token.status() < 500, token.raw());
        assertFalse(token.body().has("access_token"), token.raw());
        BrokerApi.Response introspection = api.postForm("/oauth2/introspect",
                "token=" + URLEncoder.encode(ack.revokedAgentsToken(), StandardCharsets.UTF_8), vault.platformAdminToken());
        assertEquals(200, introspection.status(), introspection.raw());
        assertFalse(introspection.body().path("active").asBoolean(), introspection.raw());
        JsonNode view = api.get("/api/v1/tenants/acme/agents/" + revoked.agentId(), vault.adminToken("acme")).body();
        assertEquals("revoked", view.path("status").asText(), view.toString());

        // Spent and withdrawn enrollment tokens stay unusable; the one issued in the burst works.
        assertEquals(401, fixtures.exchange(ack.spentToken(), Csrs.p256().pem()).status());
        assertEquals(401, fixtures.exchange(ack.revokedTokenSecret(), Csrs.p256().pem()).status());
        assertEquals(200, fixtures.exchange(ack.issuedTokenSecret(), Csrs.p256().pem()).status());

        // The tenant update, the rotation, the secret rotation and the secret revocation.
        JsonNode globex = api.get("/api/v1/tenants/globex", vault.platformAdminToken()).body();
        assertEquals("suspended", globex.path("status").asText(), globex.toString());
        EnrolledAgent rotated = ack.rotated();
        BrokerApi.Response current = mtls(broker, vault, rotated).send("GET", rotated.path(), null, null, rotated.basic());
        assertEquals(200, current.status(), current.raw());
        assertEquals(rotated.serialNumber(), current.body().path("serial_number").asText());
        assertEquals(401, mtls(broker, vault, rotated).send("GET", rotated.path(), null, null,
                EnrolledAgent.basic(rotated.agentId(), ack.oldSecret())).status(), "the rotated-away secret");
        EnrolledAgent cut = ack.secretRevoked();
        assertEquals(401, mtls(broker, vault, cut).send("GET", cut.path(), null, null, cut.basic()).status());

        BrokerApi.Response verify = api.get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme"));
        assertTrue(verify.body().path("valid").asBoolean(), verify.raw());
    }

    private static BrokerApi mtls(BrokerProcess broker, TestVault vault, EnrolledAgent agent) {
        return MtlsClient.of(broker.api().baseUrl(), vault, agent.chain(), agent.keys().getPrivate());
    }

    private static String accessToken(BrokerApi client, EnrolledAgent agent) {
        BrokerApi.Response r = client.postForm("/oauth2/token", "grant_type=client_credentials&client_id=" + agent.agentId(), null);
        assertEquals(200, r.status(), r.raw());
        return r.body().path("access_token").asText();
    }
}
