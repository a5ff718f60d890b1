package io.identitybroker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTPS client for the broker that verifies the broker's certificate against the dev root CA.
 * Every response it receives is checked against docs/openapi.yaml ({@link OpenApiContract}).
 */
public final class BrokerApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient client;

    /** A response: status, headers and the parsed JSON body (a missing node when there is none). */
    public record Response(int status, java.net.http.HttpHeaders headers, JsonNode body, String raw) {
        public String problemType() {
            String type = body.path("type").asText("");
            return type.substring(type.lastIndexOf('/') + 1);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    BrokerApi(String base, String rootCaFile) {
        this(base, rootCaFile, null);
    }

    BrokerApi(String base, String rootCaFile, KeyManager[] keyManagers) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.client = HttpClient.newBuilder().sslContext(sslContext(rootCaFile, keyManagers))
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String baseUrl() {
        return base;
    }

    public Response get(String path, String vaultToken) {
        return send("GET", path, null, vaultToken, Map.of());
    }

    public Response post(String path, Object body, String vaultToken) {
        return send("POST", path, body, vaultToken, Map.of());
    }

    /** POSTs an {@code application/x-www-form-urlencoded} body (the OAuth endpoints). */
    public Response postForm(String path, String formBody, String vaultToken) {
        return send("POST", path, formBody, vaultToken, Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    public Response send(String method, String path, Object body, String vaultToken, Map<String, String> headers) {
        try {
            String payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
            if (payload != null && !headers.containsKey("Content-Type")) {
                b.header("Content-Type", "application/json");
            }
            if (vaultToken != null) {
                b.header("Authorization", "Bearer " + vaultToken);
            }
            headers.forEach(b::header);
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            OpenApiContract.check(method, path, r.statusCode(), r.headers(), r.body());
            JsonNode parsed;
            try {
                parsed = r.body().isEmpty() ? JSON.missingNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                parsed = JSON.missingNode();
            }
            return new Response(r.statusCode(), r.headers(), parsed, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext sslContext(String rootCaFile, KeyManager[] keyManagers) {
        try (InputStream in = Files.newInputStream(Path.of(rootCaFile))) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the test TLS context", e);
        }
    }
}
