package loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static loadgen.Util.JSON;
import static loadgen.Util.RANDOM;
import static loadgen.Util.abbreviate;
import static loadgen.Util.csr;
import static loadgen.Util.formPost;
import static loadgen.Util.jsonPost;
import static loadgen.Util.keyPair;
import static loadgen.Util.log;
import static loadgen.Util.newClient;
import static loadgen.Util.sslContext;
import static loadgen.Util.vaultAuth;

/**
 * Scenarios (c) token issuance over mTLS against raw transit sign, and (d) introspection (the
 * lean socket client) with (d-jdk) (the same requests through java.net.http). One agent is
 * enrolled whose key the harness keeps; its certificate authenticates the token requests.
 */
final class OAuthScenarios {
    private final Runner run;
    HttpClient mtls;
    SSLContext mtlsSsl;
    String agentId;
    String accessToken;

    OAuthScenarios(Runner run) {
        this.run = run;
    }

    void run() throws Exception {
        boolean wantC = run.o.scenarios.contains("c");
        boolean wantD = run.o.scenarios.contains("d");
        String why = enrollMtlsAgent();
        if (why != null) {
            skip(wantC, "c", why);
            skip(wantD, "d", why);
            return;
        }
        if (wantC) {
            runTokenIssuance();
        }
        if (wantD) {
            runIntrospection();
        }
    }

    void skip(boolean wanted, String scenario, String reason) {
        if (wanted) {
            run.skipped.add(new Skipped(scenario, reason));
            log("%-2s skipped: %s", scenario, reason);
        }
    }

    /** Enrolls one agent whose key the harness keeps, and builds an mTLS client with its certificate. */
    String enrollMtlsAgent() throws Exception {
        KeyPair keys = keyPair(run.o.key);
        String csr = csr(keys);
        HttpResponse<String> r = run.broker.send(jsonPost(run.env.brokerUrl() + "/api/v1/agent-enrollment/exchange", null,
                Map.of("token", run.enrollment.mintTokens(1).get(0), "csr", csr)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return "could not enroll the mTLS agent: " + r.statusCode() + " " + r.body();
        }
        JsonNode e = JSON.readTree(r.body());
        agentId = e.path("agent_id").asText();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Certificate> chain = new ArrayList<>();
        chain.add(cf.generateCertificate(new ByteArrayInputStream(e.path("certificate").asText().getBytes(StandardCharsets.US_ASCII))));
        for (JsonNode c : e.path("ca_chain")) {
            chain.add(cf.generateCertificate(new ByteArrayInputStream(c.asText().getBytes(StandardCharsets.US_ASCII))));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "bench".toCharArray();
        ks.setKeyEntry("agent", keys.getPrivate(), pw, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        mtlsSsl = sslContext(run.env.rootCaFile(), kmf);
        mtls = newClient(mtlsSsl);
        HttpResponse<String> t = mtls.send(tokenRequest(), HttpResponse.BodyHandlers.ofString());
        if (t.statusCode() != 200 || !t.body().contains("access_token")) {
            return "POST /oauth2/token over mTLS answered " + t.statusCode() + " " + abbreviate(t.body());
        }
        accessToken = JSON.readTree(t.body()).path("access_token").asText();
        return null;
    }

    // client_credentials with tls_client_auth (RFC 8705 section 2.2): client_id in the body, the
    // certificate is the authentication; no scope asks for the agent's enrolled scopes.
    HttpRequest tokenRequest() {
        return formPost(run.env.brokerUrl() + "/oauth2/token",
                "grant_type=client_credentials&client_id=" + URLEncoder.encode(agentId, StandardCharsets.UTF_8));
    }

    void runTokenIssuance() throws Exception {
        // Raw side: transit sign of a payload as long as the broker's JWS signing input (header.payload).
        int signingInput = accessToken.lastIndexOf('.') > 0 ? accessToken.lastIndexOf('.') : accessToken.length();
        run.notes.add("(c) raw transit sign input: " + signingInput + " random bytes (the length of the broker's JWS signing input)");
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] b = new byte[signingInput];
            RANDOM.nextBytes(b);
            inputs.add(Base64.getEncoder().encodeToString(b));
        }
        // What the broker's VaultTransitTokenSigner asks per token (sha2-256, jws marshaling), one call each;
        // the broker batches its calls with batch_input, which is its advantage to show.
        String url = run.env.vaultAddr() + "/v1/transit/sign/identity-broker-jwt/sha2-256";
        IntFunction<List<HttpRequest>> raw = n -> {
            List<HttpRequest> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(jsonPost(url, vaultAuth(run.enrollment.vaultToken), Map.of("input", inputs.get(i % inputs.size()), "marshaling_algorithm", "jws")));
            }
            return l;
        };
        HttpRequest same = tokenRequest();
        // Identical requests: a virtual list, so these windows are bounded by time only.
        IntFunction<List<HttpRequest>> issue = n -> Collections.nCopies(Integer.MAX_VALUE, same);
        Predicate<HttpResponse<String>> signed = r -> r.statusCode() == 200 && r.body().contains("\"signature\"");
        Predicate<HttpResponse<String>> issued = r -> r.statusCode() == 200 && r.body().contains("\"access_token\"");
        for (int c : run.o.concurrency) {
            run.paired(c, new Runner.Side("c-raw", "raw transit sign", Runner.sender(run.vault), raw, signed, run.lastRate("c-raw", 500)),
                    new Runner.Side("c", "broker token (mTLS)", Runner.sender(mtls), issue, issued, run.lastRate("c", run.lastRate("c-raw", 300))));
        }
        if (run.o.profile && run.o.profileScenario.equals("c")) {
            run.profile("c", "token requests", Runner.sender(mtls), run.o.profileAt, issue.apply(0), issue.apply(0), issued);
        }
    }

    // A resource server authenticates with a Vault token holding read on identity-broker/introspect
    // (the platform admin's, in the dev set-up); the answer is computed without calling Vault.
    void runIntrospection() throws Exception {
        String resourceServerToken = System.getenv().getOrDefault("IB_PLATFORM_ADMIN_TOKEN", run.env.adminToken());
        HttpRequest req = HttpRequest.newBuilder(URI.create(run.env.brokerUrl() + "/oauth2/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Vault-Token", resourceServerToken)
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> first = mtls.send(req, HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || !first.body().contains("\"active\"")) {
            skip(true, "d", "POST /oauth2/introspect answered " + first.statusCode() + " " + abbreviate(first.body())
                    + " (adjust the client authentication in scripts/bench/loadgen/OAuthScenarios.java)");
            return;
        }
        Predicate<HttpResponse<String>> active = r -> r.statusCode() == 200 && r.body().replace(" ", "").contains("\"active\":true");
        // The headline (d): the lean client, so that the load generator takes as little of the two cores as it
        // can; (d-jdk): the same requests through java.net.http, as every other scenario sends them.
        RawHttp raw = new RawHttp(mtlsSsl, URI.create(run.env.brokerUrl() + "/oauth2/introspect"), "POST",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Vault-Token", resourceServerToken),
                "token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        List<HttpRequest> same = Collections.nCopies(Integer.MAX_VALUE, req);
        for (int c : run.o.concurrency) {
            run.paired(c, new Runner.Side("d", "broker introspect", raw::connection, n -> same, active, run.lastRate("d", 3000)),
                    new Runner.Side("d-jdk", "broker introspect (java.net.http)", Runner.sender(mtls), n -> same, active,
                            run.lastRate("d-jdk", 2000)));
        }
        if (run.o.profile && run.o.profileScenario.equals("d")) {
            run.profile("d", "introspections (java.net.http)", Runner.sender(mtls), run.o.profileAt, same, same, active);
        }
    }
}
