package loadgen;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static loadgen.Util.JSON;
import static loadgen.Util.bearer;
import static loadgen.Util.generateCsrs;
import static loadgen.Util.jsonPost;
import static loadgen.Util.log;
import static loadgen.Util.vaultAuth;

/**
 * Scenarios (a) and (b): raw Vault {@code POST <mount>/sign/agent} with exactly the body the
 * broker sends, and the broker's enrollment exchange with one single-use enrollment token each.
 * Both send the same CSRs (no SANs, CN=bench-agent: the broker assigns the identity).
 */
final class Enrollment {
    private final Runner run;
    private final Env env;
    List<String> csrs;
    /** The broker AppRole's Vault token: Vault evaluates the same ACL for (a) as for the broker's own calls. */
    String vaultToken;
    double rawRate;
    double exchangeRate;
    /** One answer of each kind, kept for the leaf comparison with (p). */
    volatile String sampleRawLeaf;
    volatile String sampleExchangeLeaf;

    Enrollment(Runner run) {
        this.run = run;
        this.env = run.env;
    }

    void prepare() throws IOException, InterruptedException {
        vaultToken = appRoleLogin();
        csrs = generateCsrs(run.o.key, run.o.csrPool);
    }

    Runner.Side rawSide() {
        return new Runner.Side("a", "raw Vault sign", Runner.sender(run.vault), this::rawSignRequests, this::keepRaw,
                run.lastRate("a", rawRate));
    }

    Runner.Side exchangeSide() {
        return new Runner.Side("b", "broker exchange", Runner.sender(run.broker), n -> exchangeRequests(mintTokens(n)),
                this::keepExchange, run.lastRate("b", exchangeRate));
    }

    private String appRoleLogin() throws IOException, InterruptedException {
        String secretId = Files.readString(Path.of(env.secretIdFile())).trim();
        HttpResponse<String> r = run.vault.send(jsonPost(env.vaultAddr() + "/v1/auth/approle/login", null,
                Map.of("role_id", env.roleId(), "secret_id", secretId)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("AppRole login failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("auth").path("client_token").asText();
    }

    /** Exactly the body the broker's VaultPkiBackend sends, with a fresh SPIFFE ID per request. */
    List<HttpRequest> rawSignRequests(int n) {
        String url = env.vaultAddr() + "/v1/pki-tenants/" + env.tenant() + "/sign/agent";
        List<HttpRequest> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String spiffe = "spiffe://" + env.trustDomain() + "/tenant/" + env.tenant() + "/agent/" + UUID.randomUUID();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("csr", csrs.get(i % csrs.size()));
            body.put("uri_sans", spiffe);
            body.put("format", "pem");
            body.put("exclude_cn_from_sans", true);
            list.add(jsonPost(url, vaultAuth(vaultToken), body));
        }
        return list;
    }

    List<HttpRequest> exchangeRequests(List<String> tokens) {
        String url = env.brokerUrl() + "/api/v1/agent-enrollment/exchange";
        List<HttpRequest> list = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            list.add(jsonPost(url, null, Map.of("token", tokens.get(i), "csr", csrs.get(i % csrs.size()))));
        }
        return list;
    }

    static boolean vaultCertOk(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("\"certificate\"");
    }

    static boolean exchangeOk(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("\"agent_secret\"");
    }

    private boolean keepRaw(HttpResponse<String> r) {
        boolean ok = vaultCertOk(r);
        if (ok && sampleRawLeaf == null) {
            sampleRawLeaf = leafOf(r.body(), true);
        }
        return ok;
    }

    private boolean keepExchange(HttpResponse<String> r) {
        boolean ok = exchangeOk(r);
        if (ok && sampleExchangeLeaf == null) {
            sampleExchangeLeaf = leafOf(r.body(), false);
        }
        return ok;
    }

    private static String leafOf(String body, boolean vaultEnvelope) {
        try {
            var node = JSON.readTree(body);
            return (vaultEnvelope ? node.path("data") : node).path("certificate").asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** Single-use enrollment tokens through the admin API, 8 at a time (outside every measured window). */
    List<String> mintTokens(int n) {
        long t = System.nanoTime();
        String url = env.brokerUrl() + "/api/v1/tenants/" + env.tenant() + "/enrollment-tokens";
        HttpRequest req = jsonPost(url, bearer(env.adminToken()), Map.of("ttl_seconds", 3600, "max_uses", 1,
                "agent_name", "bench-agent", "scopes", List.of("bench.read")));
        String[] out = new String[n];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                fs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        HttpResponse<String> r = run.broker.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException("minting an enrollment token: " + r.statusCode() + " " + r.body());
                        }
                        out[i] = JSON.readTree(r.body()).path("token").asText();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        double s = (System.nanoTime() - t) / 1e9;
        if (s > 2) {
            log("   minted %d enrollment tokens in %.1f s", n, s);
        }
        return Arrays.asList(out);
    }
}
