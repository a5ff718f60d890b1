package io.identitybroker.http;

import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerInstance;
import io.identitybroker.testing.RawHttpsConnection;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that do not complete their request headers in time are closed, while normal
 * clients, kept-alive idle connections included, are served as usual.
 */
@ExtendWith(VaultExtension.class)
class RequestHeaderTimeoutTest {
    private static final long TIMEOUT_MILLIS = 2_000;

    @Test
    void sixtySlowConnectionsAreClosedWithinTheBoundAndDoNotDelayNormalClients(TestVault vault) throws Exception {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.http.request-header-timeout", TIMEOUT_MILLIS + "ms"))) {
            BrokerApi api = broker.api();
            SSLContext tls = BrokerApi.sslContext(vault.env("IB_ROOT_CA_FILE"), null);
            URI uri = URI.create(api.baseUrl());
            assertEquals(200, api.get("/.well-known/oauth-authorization-server", null).status()); // warm

            List<SSLSocket> slow = new ArrayList<>();
            long opened = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
                s.startHandshake();
                s.getOutputStream().write("GET /api/v1/tenants HT".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // Meanwhile normal requests complete quickly.
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                assertEquals(200, api.get("/.well-known/oauth-authorization-server", null).status());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 1_000, "a normal request took " + ms + " ms beside the slow connections");
            }
            // Each slow connection ends within the bound (plus scheduling slack on a loaded machine).
            for (SSLSocket s : slow) {
                s.setSoTimeout(15_000);
                InputStream in = s.getInputStream();
                try {
                    assertEquals(-1, in.read(), "closed without an answer");
                } catch (java.net.SocketTimeoutException stillOpen) {
                    throw new AssertionError("a slow connection was still open after 15 s", stillOpen);
                } catch (IOException closed) {
                    // a reset or TLS close is a close too
                }
                s.close();
            }
            long allClosedMillis = (System.nanoTime() - opened) / 1_000_000;
            assertTrue(allClosedMillis < TIMEOUT_MILLIS + 6_000, "slow connections held for " + allClosedMillis + " ms");
        }
    }

    @Test
    void aKeptAliveConnectionMayStayIdleLongerThanTheBoundAndAStalledOneIsClosed(TestVault vault) throws Exception {
        try (BrokerInstance broker = BrokerInstance.start(vault, Map.of("broker.http.request-header-timeout", TIMEOUT_MILLIS + "ms"))) {
            SSLContext tls = BrokerApi.sslContext(vault.env("IB_ROOT_CA_FILE"), null);
            try (RawHttpsConnection c = new RawHttpsConnection(tls, broker.api().baseUrl())) {
                assertEquals(200, c.request("GET", "/.well-known/oauth-authorization-server", Map.of()).status());
                Thread.sleep(TIMEOUT_MILLIS + 1_000); // idle between requests: the idle timeout's business
                assertEquals(200, c.request("GET", "/.well-known/oauth-authorization-server", Map.of()).status());
            }
            // A connection that opens and sends nothing is closed too (a stalled handshake or request).
            URI uri = URI.create(broker.api().baseUrl());
            try (java.net.Socket raw = new java.net.Socket(uri.getHost(), uri.getPort())) {
                raw.setSoTimeout(15_000);
                long t0 = System.nanoTime();
                int read;
                try {
                    read = raw.getInputStream().read();
                } catch (java.net.SocketTimeoutException stillOpen) {
                    throw new AssertionError("a silent connection was still open after 15 s", stillOpen);
                } catch (IOException reset) {
                    read = -1;
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(-1, read);
                assertTrue(ms >= TIMEOUT_MILLIS - 500 && ms < TIMEOUT_MILLIS + 6_000, "closed after " + ms + " ms");
            }
        }
    }
}
