package io.identitybroker.federation;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.Fixtures;
import io.identitybroker.testing.TestPostgres;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * spiffe_jwt single use across replicas: two brokers on one PostgreSQL receive the same JWT-SVID
 * (minted by the real go-spiffe peer) concurrently; exactly one token is issued.
 */
@ExtendWith(VaultExtension.class)
class SpiffeJwtReplayOnPostgresTest {

    @Test
    void oneAssertionSentTwentyTimesToTwoReplicasAtOnceYieldsOneToken(TestVault vault) throws Exception {
        Map<String, Object> props = new HashMap<>(TestPostgres.freshDatabase());
        props.put("broker.oauth.issuer", SpiffeFederationTest.ISSUER);
        props.put("broker.federation.config-sync-interval", "1s");
        try (SpiffePeer peer = SpiffePeer.start("replicas.example", Duration.ofSeconds(30));
             BrokerInstance a = BrokerInstance.start(vault, props); BrokerInstance b = BrokerInstance.start(vault, props)) {
            new Fixtures(a.api(), vault).tenant("acme");
            assertEquals(201, a.api().post("/api/v1/trust-domains", Map.of("name", peer.trustDomain(),
                    "bundle_endpoint_url", peer.bundleUrl(), "endpoint_ca", peer.serverPem()), vault.platformAdminToken()).status());
            BrokerApi.Response client = b.api().post("/api/v1/tenants/acme/external-clients",
                    Map.of("spiffe_id", peer.id("w"), "scopes", List.of("s")), vault.adminToken("acme"));
            assertEquals(201, client.status(), client.raw());
            // B learns of the trust domain at its next declaration sync
            BrokerApi.Response refreshed = b.api().post("/api/v1/trust-domains/" + peer.trustDomain() + "/refresh", null,
                    vault.platformAdminToken());
            assertEquals(200, refreshed.status(), refreshed.raw());

            String form = "grant_type=client_credentials&client_id=" + client.body().path("client_id").asText()
                    + "&client_assertion_type=" + URLEncoder.encode(SpiffeFederationTest.JWT_TYPE, StandardCharsets.UTF_8)
                    + "&client_assertion=" + peer.jwt(peer.id("w"), SpiffeFederationTest.ISSUER, "5m", UUID.randomUUID().toString());
            ExecutorService pool = Executors.newFixedThreadPool(20);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BrokerApi.Response>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                BrokerApi via = i % 2 == 0 ? a.api() : b.api();
                results.add(pool.submit(() -> {
                    go.await();
                    return via.postForm("/oauth2/token", form, null);
                }));
            }
            go.countDown();
            int issued = 0;
            for (Future<BrokerApi.Response> f : results) {
                BrokerApi.Response r = f.get();
                if (r.status() == 200) {
                    issued++;
                } else {
                    assertEquals(401, r.status(), r.raw());
                    assertEquals("invalid_client", r.body().path("error").asText());
                }
            }
            pool.shutdown();
            assertEquals(1, issued);
            assertEquals(19, a.count("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication.failed'"
                    + " AND details LIKE '%replayed_assertion%'"));
        }
    }
}
