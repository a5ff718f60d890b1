package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.TcpProxy;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker's own HTTP/1.1 client for Vault's hot POSTs, against a real OpenBao (plain and TLS). */
@ExtendWith(VaultExtension.class)
class VaultHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void whenVaultAnswersThenTheBodyIsReadWholeAndOneConnectionServesEveryRequest(TestVault vault) throws IOException {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort())) {
            VaultHttp http = new VaultHttp(URI.create(proxy.url()), null, TIMEOUT, TIMEOUT);
            for (int bytes : new int[] {16, 12_288, 16, 12_288}) {
                VaultHttp.Answer answer = http.post("sys/tools/random/" + bytes, vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8));
                assertEquals(200, answer.status());
                assertEquals(bytes, randomBytes(answer).length, "the whole body, whether sized or chunked");
            }
            assertEquals(1, proxy.connectionsAccepted(), "kept alive across sized and chunked answers");
            assertEquals(1, http.idleConnections());
        }
    }

    @Test
    void whenAnAnswerIsLargeThenVaultSendsItChunkedAndASmallOneSized(TestVault vault) throws IOException {
        // What the test above relies on: both framings really occur.
        assertTrue(rawHead(vault, 12_288).contains("transfer-encoding: chunked"));
        assertTrue(rawHead(vault, 16).contains("content-length:"));
    }

    @Test
    void whenVaultDroppedThePooledConnectionThenTheNextPostUsesANewOne(TestVault vault) throws Exception {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort())) {
            VaultHttp http = new VaultHttp(URI.create(proxy.url()), null, TIMEOUT, TIMEOUT);
            assertEquals(200, http.post("sys/tools/random/8", vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8)).status());
            proxy.dropConnections();
            Thread.sleep(100); // the close reaches the client's socket
            assertEquals(200, http.post("sys/tools/random/8", vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8)).status());
            assertEquals(2, proxy.connectionsAccepted());
        }
    }

    @Test
    void whenVaultHangsUpWithoutAnAnswerThenThePostFailsOnceAndIsNotSentAgain(TestVault vault) throws IOException {
        try (TcpProxy proxy = new TcpProxy(URI.create(vault.address()).getPort())) {
            VaultHttp http = new VaultHttp(URI.create(proxy.url()), null, TIMEOUT, TIMEOUT);
            proxy.hangUpOnNextRequests();
            assertThrows(IOException.class, () -> http.post("sys/tools/random/8", vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, proxy.connectionsAccepted(), "no second attempt: a sign must never be sent twice");
            assertEquals(0, http.idleConnections(), "the failed connection is not pooled");
            proxy.restore();
            assertEquals(200, http.post("sys/tools/random/8", vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8)).status());
        }
    }

    @Test
    void whenVaultAnswersAnErrorThenItsStatusAndBodyAreReturned(TestVault vault) throws IOException {
        VaultHttp http = new VaultHttp(URI.create(vault.address()), null, TIMEOUT, TIMEOUT);
        VaultHttp.Answer answer = http.post("sys/tools/random/8", "not-a-token", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, answer.status());
        assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains("permission denied"));
        assertEquals(1, http.idleConnections(), "an error answer leaves the connection usable");
    }

    @Test
    void whenNothingListensThenThePostFailsWithoutAnAnswer() {
        VaultHttp http = new VaultHttp(URI.create("http://127.0.0.1:" + TestVault.freePort()), null, TIMEOUT, TIMEOUT);
        assertThrows(IOException.class, () -> http.post("sys/tools/random/8", "t", "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void whenAnAnswerTricklesInThenTheReadTimeoutBoundsTheWholeAnswer() throws Exception {
        // Not Vault: a peer that sends one header byte every 100 ms, which no single read would time out on.
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write('X');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the client hung up, as it should
                }
            });
            peer.setDaemon(true);
            peer.start();
            VaultHttp http = new VaultHttp(URI.create("http://127.0.0.1:" + server.getLocalPort()), null, TIMEOUT,
                    Duration.ofSeconds(1));
            long start = System.nanoTime();
            assertThrows(IOException.class, () -> http.post("sys/tools/random/8", "t", "{}".getBytes(StandardCharsets.UTF_8)));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= 900 && tookMillis < 3000, "gave up after " + tookMillis + " ms");
        }
    }

    @Test
    void whenVaultIsOnTlsThenItIsReachedOnlyUnderANameItsCertificateCarriesAndWithItsCa() throws Exception {
        // The server listens on 127.0.0.2; its certificate names 127.0.0.1 and localhost only.
        TestVault.TlsDevServer vault = TestVault.startDevTls("127.0.0.2");
        URI direct = URI.create(vault.address());
        SSLSocketFactory trusting = trusting(vault.caCert());
        try (TcpProxy sameServerAs127001 = new TcpProxy(InetAddress.getByName("127.0.0.2"), direct.getPort())) {
            VaultHttp named = new VaultHttp(URI.create(sameServerAs127001.url().replace("http:", "https:")), trusting,
                    TIMEOUT, TIMEOUT);
            VaultHttp.Answer answer = postUntilUnsealed(named, vault.rootToken());
            assertEquals(200, answer.status());
            assertEquals(8, randomBytes(answer).length);

            VaultHttp unnamed = new VaultHttp(direct, trusting, TIMEOUT, TIMEOUT);
            assertThrows(IOException.class, () -> unnamed.post("sys/tools/random/8", vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8)),
                    "127.0.0.2 is not in the certificate");
            VaultHttp untrusting = new VaultHttp(URI.create(sameServerAs127001.url().replace("http:", "https:")),
                    SSLContext.getDefault().getSocketFactory(), TIMEOUT, TIMEOUT);
            assertThrows(IOException.class, () -> untrusting.post("sys/tools/random/8", vault.rootToken(), "{}".getBytes(StandardCharsets.UTF_8)),
                    "the dev CA is not in the JVM's default trust");
        }
    }

    private static VaultHttp.Answer postUntilUnsealed(VaultHttp http, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            VaultHttp.Answer answer = http.post("sys/tools/random/8", token, "{}".getBytes(StandardCharsets.UTF_8));
            if (answer.status() != 503 || System.nanoTime() > deadline) {
                return answer;
            }
            Thread.sleep(100);
        }
    }

    private static byte[] randomBytes(VaultHttp.Answer answer) throws IOException {
        JsonNode body = JSON.readTree(answer.body());
        return Base64.getDecoder().decode(body.path("data").path("random_bytes").asText());
    }

    /** The head of Vault's answer to the same POST, read off a plain socket, lower-cased. */
    private static String rawHead(TestVault vault, int bytes) throws IOException {
        URI address = URI.create(vault.address());
        try (Socket s = new Socket(address.getHost(), address.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/sys/tools/random/" + bytes + " HTTP/1.1\r\nHost: " + address.getAuthority()
                    + "\r\nX-Vault-Token: " + vault.rootToken() + "\r\nContent-Type: application/json\r\nContent-Length: 2"
                    + "\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return all.substring(0, all.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static SSLSocketFactory trusting(Path caPem) {
        return VaultClients.sslContextTrusting(caPem).getSocketFactory();
    }
}
