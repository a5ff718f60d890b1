package io.identitybroker.spiffe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerTest;
import io.identitybroker.testing.EnrolledAgent;
import io.identitybroker.testing.TestVault;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * go-spiffe, unmodified, as a federated peer: its federation client fetches the bundle over
 * https_web and its jwtsvid package validates the broker's JWT-SVIDs against it (and refuses an
 * access token). The client is the small Go program in {@code src/test/go/bundle-check}, built once
 * by {@code scripts/lib/ensure-go-tool.sh}; without Go the test is skipped, never faked.
 */
class SpiffeClientInteropTest extends BrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path tool;
    private EnrolledAgent agent;

    /** What the client printed, or its error. */
    private record Run(int exit, String stdout, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + stdout + " / " + stderr, e);
            }
        }
    }

    @BeforeAll
    void buildClient() throws Exception {
        Path root = TestVault.repoRoot();
        Process build = new ProcessBuilder("bash", root.resolve("scripts/lib/ensure-go-tool.sh").toString(), "dir",
                root.resolve("broker/src/test/go/bundle-check").toString()).start();
        String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(build.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = build.waitFor();
        Assumptions.assumeTrue(exit != 3, "Go is not installed, so the go-spiffe client cannot be built: " + err);
        assertEquals(0, exit, "building the go-spiffe client failed: " + err);
        tool = Path.of(out);
        agent = EnrolledAgent.enroll(fixtures, "acme");
    }

    private Run run(String trustDomain, String audience, String stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool.toString(), trustDomain,
                api.baseUrl() + "/spiffe/bundles/" + trustDomain, vault.env("IB_ROOT_CA_FILE")));
        if (audience != null) {
            command.add(audience);
        }
        Process p = new ProcessBuilder(command).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client hung");
        return new Run(p.exitValue(), out, err);
    }

    private String jwtSvid(String audience) {
        BrokerApi.Response r = agent.mtls(broker, vault).send("POST", agent.path() + "/jwt-svids",
                Map.of("audience", List.of(audience)), null, agent.basic());
        assertEquals(200, r.status(), r.raw());
        return r.body().path("token").asText();
    }

    @Test
    void goSpiffeFetchesTheBundleOverHttpsWebWithTheSameSequenceRootsAndKeys() throws Exception {
        Run run = run(vault.trustDomain(), null, null);
        assertEquals(0, run.exit(), run.stderr());
        JsonNode fetched = run.json();
        JsonNode served = api.get("/spiffe/bundles/" + vault.trustDomain(), null).body();
        assertEquals(vault.trustDomain(), fetched.path("trust_domain").asText());
        assertTrue(fetched.path("has_sequence").asBoolean());
        assertEquals(served.path("spiffe_sequence").asLong(), fetched.path("sequence").asLong());
        assertEquals(300.0, fetched.path("refresh_hint_seconds").asDouble());
        assertEquals("[\"CN=Identity Broker Dev Root CA\"]", fetched.path("x509_authorities").toString());
        List<String> kids = new ArrayList<>();
        served.path("keys").forEach(k -> {
            if (k.has("kid")) {
                kids.add(k.path("kid").asText());
            }
        });
        List<String> fetchedKids = new ArrayList<>();
        fetched.path("jwt_authorities").forEach(k -> fetchedKids.add(k.asText()));
        assertEquals(kids.stream().sorted().toList(), fetchedKids);
    }

    @Test
    void goSpiffeValidatesTheBrokersJwtSvidAndRefusesAnAccessToken() throws Exception {
        Run ok = run(vault.trustDomain(), "https://orders.example", jwtSvid("https://orders.example"));
        assertEquals(0, ok.exit(), ok.stderr());
        assertEquals(agent.spiffeId(), ok.json().path("jwt_svid").path("id").asText());
        assertEquals("[\"https://orders.example\"]", ok.json().path("jwt_svid").path("audience").toString());

        Run wrongAudience = run(vault.trustDomain(), "https://other.example", jwtSvid("https://orders.example"));
        assertNotEquals(0, wrongAudience.exit(), wrongAudience.stdout());

        BrokerApi.Response token = agent.mtls(broker, vault).postForm("/oauth2/token",
                "grant_type=client_credentials&client_id=" + agent.agentId(), null);
        assertEquals(200, token.status(), token.raw());
        String issuer = broker.context().getProperty("broker.oauth.issuer", String.class).orElseThrow();
        Run accessToken = run(vault.trustDomain(), issuer, token.body().path("access_token").asText());
        assertNotEquals(0, accessToken.exit(), "an access token is not a JWT-SVID: " + accessToken.stdout());
    }

    @Test
    void goSpiffeGetsNoBundleForATrustDomainWithoutTenants() throws Exception {
        Run run = run("nobody.example", null, null);
        assertNotEquals(0, run.exit(), run.stdout());
        // go-spiffe does not look at the status; the problem+json body is simply no bundle to it.
        assertTrue(run.stderr().startsWith("fetch: federation:"), run.stderr());
    }
}
