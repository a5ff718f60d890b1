package io.identitybroker.enrollment;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerProcess;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.MtlsClient;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestPostgres;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two broker processes, one PostgreSQL, one Vault: single use still means single use. */
@ExtendWith(VaultExtension.class)
class ReplicasOnPostgresTest {

    @Test
    void hundredConcurrentRedemptionsOfOneSingleUseTokenAcrossTwoReplicasYieldOneCertificate(TestVault vault) throws Exception {
        Map<String, Object> db = TestPostgres.freshDatabase();
        try (BrokerProcess a = BrokerProcess.start(vault, db); BrokerProcess b = BrokerProcess.start(vault, db)) {
            Fixtures viaA = new Fixtures(a.api(), vault);
            Fixtures viaB = new Fixtures(b.api(), vault);
            viaA.tenant("acme");
            var token = viaB.token("acme", 1, 600);
            String secret = token.path("token").asText();
            int signedBefore = vault.certificateCount("pki-tenants/acme");

            List<String> csrs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                csrs.add(Csrs.p256().pem());
            }
            ExecutorService pool = Executors.newFixedThreadPool(100);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BrokerApi.Response>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Fixtures via = i % 2 == 0 ? viaA : viaB;
                String csr = csrs.get(i);
                results.add(pool.submit(() -> {
                    go.await();
                    return via.exchange(secret, csr);
                }));
            }
            go.countDown();
            int ok = 0;
            for (Future<BrokerApi.Response> f : results) {
                BrokerApi.Response r = f.get();
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertEquals(401, r.status(), r.raw());
                }
            }
            pool.shutdown();

            assertEquals(1, ok);
            assertEquals(signedBefore + 1, vault.certificateCount("pki-tenants/acme"));
            BrokerApi.Response agents = a.api().get("/api/v1/tenants/acme/agents", vault.adminToken("acme"));
            assertEquals(1, agents.body().path("agents").size());
            // Both replicas appended to one chain; it must not have forked.
            BrokerApi.Response verify = b.api().get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme"));
            assertTrue(verify.body().path("valid").asBoolean(), verify.raw());
            BrokerApi.Response failed = a.api().get(
                    "/api/v1/tenants/acme/audit-events?type=agent.enrollment.failed&limit=1000", vault.adminToken("acme"));
            assertEquals(99, failed.body().path("events").size());
        }
    }

    @Test
    void twentyConcurrentSecretRotationsAcrossTwoReplicasYieldExactlyOneWinner(TestVault vault) throws Exception {
        Map<String, Object> db = TestPostgres.freshDatabase();
        try (BrokerProcess a = BrokerProcess.start(vault, db); BrokerProcess b = BrokerProcess.start(vault, db)) {
            Fixtures viaA = new Fixtures(a.api(), vault);
            viaA.tenant("acme");
            EnrolledAgent agent = EnrolledAgent.enroll(viaA, "acme");
            BrokerApi clientA = MtlsClient.of(a.api().baseUrl(), vault, agent.chain(), agent.keys().getPrivate());
            BrokerApi clientB = MtlsClient.of(b.api().baseUrl(), vault, agent.chain(), agent.keys().getPrivate());

            ExecutorService pool = Executors.newFixedThreadPool(20);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BrokerApi.Response>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                BrokerApi via = i % 2 == 0 ? clientA : clientB;
                results.add(pool.submit(() -> {
                    go.await();
                    return via.send("POST", agent.path() + "/rotate-secret", null, null, agent.basic());
                }));
            }
            go.countDown();
            List<BrokerApi.Response> responses = new ArrayList<>();
            for (Future<BrokerApi.Response> f : results) {
                responses.add(f.get());
            }
            pool.shutdown();

            List<BrokerApi.Response> winners = responses.stream().filter(r -> r.status() == 200).toList();
            assertEquals(1, winners.size(), responses.stream().map(r -> r.status() + " " + r.problemType()).toList().toString());
            assertTrue(responses.stream().allMatch(r -> r.status() == 200 || r.status() == 409 || r.status() == 401));
            String newSecret = winners.get(0).body().path("agent_secret").asText();
            // Both replicas now accept only the new secret.
            assertEquals(401, clientB.send("GET", agent.path(), null, null, agent.basic()).status());
            assertEquals(200, clientB.send("GET", agent.path(), null, null, agent.withSecret(newSecret).basic()).status());
            assertEquals(200, clientA.send("GET", agent.path(), null, null, agent.withSecret(newSecret).basic()).status());
        }
    }
}
