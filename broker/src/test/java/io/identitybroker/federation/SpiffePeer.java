package io.identitybroker.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.Processes;
import io.identitybroker.testing.TestCertificates;
import io.identitybroker.testing.TestVault;
import org.junit.jupiter.api.Assumptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A foreign trust domain run by the real go-spiffe peer ({@code broker/src/test/go/spiffe-peer}):
 * its own CA and JWT key, a SPIFFE bundle endpoint from {@code federation.NewHandler} over
 * https_web, and SVIDs minted on request. Built once into the cache by
 * {@code scripts/lib/ensure-go-tool.sh}; without Go the calling test is skipped.
 */
final class SpiffePeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String trustDomain;
    private final Path dir;
    private final Process process;
    private final String base;
    private final String serverPem;
    private final HttpClient http;

    /** An X.509-SVID and its key. */
    record X509Svid(List<X509Certificate> chain, PrivateKey key) {
    }

    private SpiffePeer(String trustDomain, Path dir, Process process, String base, String serverPem, HttpClient http) {
        this.trustDomain = trustDomain;
        this.dir = dir;
        this.process = process;
        this.base = base;
        this.serverPem = serverPem;
        this.http = http;
    }

    static Path binary() {
        Path root = TestVault.repoRoot();
        try {
            Process build = new ProcessBuilder("bash", root.resolve("scripts/lib/ensure-go-tool.sh").toString(), "dir",
                    root.resolve("broker/src/test/go/spiffe-peer").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = build.waitFor();
            Assumptions.assumeTrue(rc != 3, "Go is not installed: the go-spiffe federation peer cannot be built; skipped");
            if (rc != 0) {
                throw new IllegalStateException("building the spiffe-peer failed (exit " + rc + ")");
            }
            return Path.of(out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SpiffePeer start(String trustDomain, Duration refreshHint) {
        return start(trustDomain, refreshHint, "https_web");
    }

    /** @param profile https_web (self-signed serving certificate) or https_spiffe (an SVID for spiffe://td/bundle-endpoint) */
    static SpiffePeer start(String trustDomain, Duration refreshHint, String profile) {
        Path binary = binary();
        try {
            Path dir = Files.createTempDirectory("spiffe-peer-");
            Process p = new ProcessBuilder(binary.toString(), "-td", trustDomain, "-dir", dir.toString(),
                    "-refresh-hint", refreshHint.toSeconds() + "s", "-profile", profile)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            Path addr = dir.resolve("addr");
            Instant deadline = Instant.now().plusSeconds(60);
            while (!Files.exists(addr)) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("spiffe-peer did not start: " + Files.readString(dir.resolve("log")));
                }
                Thread.sleep(50);
            }
            String serverPem = Files.readString(dir.resolve("server.pem"));
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("peer", TestCertificates.parse(serverPem));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
            return new SpiffePeer(trustDomain, dir, p, "https://" + Files.readString(addr).strip(), serverPem, http);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    String trustDomain() {
        return trustDomain;
    }

    String bundleUrl() {
        return base + "/bundle";
    }

    /** What verifies the peer's listener: its self-signed certificate (https_web), or its CA (https_spiffe). */
    String serverPem() {
        return serverPem;
    }

    String id(String path) {
        return "spiffe://" + trustDomain + "/" + path;
    }

    X509Svid x509(String spiffeId, String ttl) {
        JsonNode r = call("GET", "/mint/x509?id=" + enc(spiffeId) + "&ttl=" + ttl);
        try {
            String keyPem = r.path("key").asText().replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyPem)));
            return new X509Svid(List.of(TestCertificates.parse(r.path("certificate").asText())), key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String jwt(String spiffeId, String audience, String ttl, String jti) {
        return call("GET", "/mint/jwt?id=" + enc(spiffeId) + "&aud=" + enc(audience) + "&ttl=" + ttl
                + (jti == null ? "" : "&jti=" + enc(jti))).path("token").asText();
    }

    /** The bundle as the endpoint serves it now (a JWK Set), fetched over the control client. */
    String bundleJson() {
        return call("GET", "/bundle").toString();
    }

    /** Makes the bundle endpoint answer 503 (true) or serve again (false). */
    void failing(boolean on) {
        call("POST", "/fail?on=" + on);
    }

    void rotateJwtKey() {
        call("POST", "/rotate-jwt-key");
    }

    private JsonNode call(String method, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body().isEmpty() ? JSON.missingNode() : JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Processes.stop(process);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
