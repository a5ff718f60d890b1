package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The broker's HTTP API as the agent uses it, over TLS verified against {@code --ca-file} (or the
 * JDK's trust store), presenting one SVID for mTLS. A client is made per SVID: connections are not
 * reused across a rotation, so the broker always sees the certificate in force.
 * Failures: {@link BrokerException} when the broker answered with an error, {@link IOException}
 * when it could not be reached or answered garbage.
 */
public final class BrokerClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Shared by every client: a client per SVID must not bring its own worker threads. */
    private static final java.util.concurrent.ExecutorService WORKERS = new java.util.concurrent.ThreadPoolExecutor(0, 4,
            30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "ib-agent-http");
        t.setDaemon(true);
        return t;
    }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    private final String base;
    private final HttpClient http;
    private final Duration timeout;

    private BrokerClient(String base, HttpClient http, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = http;
        this.timeout = timeout;
    }

    /** Without a client certificate (enrollment, the bundle endpoint). */
    public static BrokerClient anonymous(String brokerUrl, String caFile) {
        return new BrokerClient(brokerUrl, client(caFile, null), TIMEOUT);
    }

    /**
     * Presenting {@code svid} (leaf and intermediates) with its key. Each request waits up to half the
     * certificate's remaining life (5 s to 60 s): a rotation whose answer is cut off by an early
     * timeout is lost for good (the broker has already moved the binding), so waiting long is safer
     * than retrying soon.
     */
    public static BrokerClient mtls(String brokerUrl, String caFile, Svid svid) {
        long half = Duration.between(java.time.Instant.now(), svid.notAfter()).toMillis() / 2;
        Duration timeout = Duration.ofMillis(Math.min(60_000, Math.max(5_000, half)));
        return new BrokerClient(brokerUrl, client(caFile, new KeyManager[]{new FixedKeyManager(svid)}), timeout);
    }

    /** What the exchange and the rotation return. */
    public record Issued(String agentId, String spiffeId, String certificate, List<String> caChain, String serialNumber,
                         String agentSecret) {
        @Override
        public String toString() {
            return "Issued[agentId=" + agentId + ", serial=" + serialNumber + "]";
        }
    }

    public Issued exchange(String token, String csrPem) throws IOException, BrokerException {
        return issued(send("POST", "/api/v1/agent-enrollment/exchange", null,
                Map.of("token", token, "csr", csrPem), null));
    }

    public Issued rotateCertificate(String agentId, String secret, String csrPem) throws IOException, BrokerException {
        return issued(send("POST", "/api/v1/agents/" + agentId + "/certificate/rotate", basic(agentId, secret),
                Map.of("csr", csrPem), null));
    }

    /** The new agent secret. */
    public String rotateSecret(String agentId, String secret) throws IOException, BrokerException {
        return send("POST", "/api/v1/agents/" + agentId + "/rotate-secret", basic(agentId, secret), null, null)
                .path("agent_secret").asText();
    }

    public JsonNode self(String agentId, String secret) throws IOException, BrokerException {
        return send("GET", "/api/v1/agents/" + agentId, basic(agentId, secret), null, null);
    }

    /** The SPIFFE bundle JSON of {@code trustDomain} (no authentication). */
    public JsonNode bundle(String trustDomain) throws IOException, BrokerException {
        return send("GET", "/spiffe/bundles/" + trustDomain, null, null, null);
    }

    /** {@code {"token", "spiffe_id", "audience", "expires_at"}}. */
    public JsonNode jwtSvid(String agentId, String secret, List<String> audience) throws IOException, BrokerException {
        return send("POST", "/api/v1/agents/" + agentId + "/jwt-svids", basic(agentId, secret),
                Map.of("audience", audience), null);
    }

    /** OAuth2 client_credentials with tls_client_auth: a certificate-bound access token response. */
    public JsonNode accessToken(String agentId, String scope) throws IOException, BrokerException {
        StringBuilder form = new StringBuilder("grant_type=client_credentials&client_id=")
                .append(URLEncoder.encode(agentId, StandardCharsets.UTF_8));
        if (scope != null && !scope.isBlank()) {
            form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        return send("POST", "/oauth2/token", null, null, form.toString());
    }

    private JsonNode send(String method, String path, String authorization, Object json, String form)
            throws IOException, BrokerException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (json != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json)));
        } else if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(form));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode body;
        try {
            body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException notJson) {
            body = JSON.createObjectNode();
        }
        if (r.statusCode() / 100 != 2) {
            String type = body.path("type").asText(body.path("error").asText("http_" + r.statusCode()));
            String detail = body.path("detail").asText(body.path("error_description").asText(""));
            throw new BrokerException(r.statusCode(), type.substring(type.lastIndexOf('/') + 1), detail);
        }
        return body;
    }

    private static Issued issued(JsonNode body) throws IOException {
        List<String> chain = new ArrayList<>();
        body.path("ca_chain").forEach(c -> chain.add(c.asText()));
        String cert = body.path("certificate").asText("");
        if (cert.isEmpty()) {
            throw new IOException("the broker's answer has no certificate");
        }
        return new Issued(body.path("agent_id").asText(), body.path("spiffe_id").asText(), cert, chain,
                body.path("serial_number").asText(), body.hasNonNull("agent_secret") ? body.path("agent_secret").asText() : null);
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpClient client(String caFile, KeyManager[] keyManagers) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null || caFile.isBlank()) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("ca" + i++, c);
                    }
                }
                tmf.init(trust);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).executor(WORKERS)
                    .connectTimeout(Duration.ofSeconds(3)).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS to the broker", e);
        }
    }

    /** Offers the one SVID it holds, whatever the server asks for. */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final X509Certificate[] chain;
        private final PrivateKey key;

        FixedKeyManager(Svid svid) {
            this.chain = svid.chain().toArray(new X509Certificate[0]);
            this.key = svid.key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[]{"svid"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "svid";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "svid";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }
}
