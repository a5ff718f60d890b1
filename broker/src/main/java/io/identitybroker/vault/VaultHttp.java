package io.identitybroker.vault;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking HTTP/1.1 POSTs to Vault on kept-alive connections, for the calls every request makes
 * (PKI sign, transit sign): the request thread writes and reads its own socket, with none of the
 * JDK client's hand-offs between its selector and worker threads, which cost as much CPU as the
 * rest of the call.
 * <p>
 * Invariants: a connection returns to the pool only after its whole answer was read and neither
 * side asked to close; before a pooled connection is used again, a non-blocking read checks that
 * Vault has not closed it meanwhile (a restart, an idle timeout). A request is never sent twice:
 * a connection that fails is closed and the failure is an {@link IOException}, which the caller
 * answers as "no answer" (only idempotent calls are retried, by {@link BrokerVault}).
 * <p>
 * Timeouts: connecting is bounded by the open timeout, and the whole answer, from the request's
 * last byte to the answer's, by the read timeout.
 */
final class VaultHttp {
    private static final int MAX_IDLE = 64;
    /** Well under Vault's own idle timeout (5 minutes by default), so Vault rarely closes one first. */
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();

    private final String host;
    private final int port;
    private final String pathPrefix;
    private final String hostHeader;
    private final SSLSocketFactory tls;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final long readTimeoutNanos;
    private final Deque<VaultConnection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** The answer: status and body, as Vault sent them. */
    record Answer(int status, byte[] body) {
    }

    /**
     * @param address Vault's address ({@code http(s)://host[:port][/prefix]})
     * @param tls     socket factory for an {@code https} address, null for {@code http}
     */
    VaultHttp(URI address, SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout) {
        boolean https = "https".equalsIgnoreCase(address.getScheme());
        if (!https && !"http".equalsIgnoreCase(address.getScheme())) {
            throw new IllegalArgumentException("Vault address must be http or https: " + address);
        }
        if (https && tls == null) {
            throw new IllegalArgumentException("an https Vault address needs a TLS socket factory");
        }
        this.host = address.getHost();
        this.port = address.getPort() > 0 ? address.getPort() : https ? 443 : 80;
        String prefix = address.getRawPath() == null ? "" : address.getRawPath();
        this.pathPrefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        boolean defaultPort = address.getPort() <= 0;
        String hostName = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.hostHeader = defaultPort ? hostName : hostName + ":" + port;
        this.tls = https ? tls : null;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    /**
     * POSTs {@code json} to {@code <prefix>/v1/<path>}.
     *
     * @throws IOException when there was no complete answer (refused, reset, timed out, malformed)
     */
    Answer post(String path, String token, byte[] json) throws IOException {
        byte[] head = head(path, token, json.length);
        VaultConnection c = pooled();
        if (c == null) {
            c = open();
        }
        try {
            Answer answer = c.exchange(head, json, System.nanoTime() + readTimeoutNanos);
            if (c.reusable()) {
                release(c);
            } else {
                c.close();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Connections waiting for their next request (for tests). */
    int idleConnections() {
        return idleCount.get();
    }

    private byte[] head(String path, String token, int length) {
        StringBuilder h = new StringBuilder(192 + path.length());
        h.append("POST ").append(pathPrefix).append("/v1/");
        appendPath(h, path);
        h.append(" HTTP/1.1\r\nHost: ").append(hostHeader);
        if (token != null) {
            h.append("\r\nX-Vault-Token: ").append(headerValue(token));
        }
        h.append("\r\nX-Vault-Request: true\r\nContent-Type: application/json\r\nContent-Length: ").append(length)
                .append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Percent-encodes everything but unreserved characters and the slashes between segments. */
    private static void appendPath(StringBuilder h, String path) {
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                h.append((char) c);
            } else {
                h.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    private static String headerValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("a Vault token is printable ASCII");
            }
        }
        return value;
    }

    private VaultConnection pooled() {
        VaultConnection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (System.nanoTime() - c.idleSince() < MAX_IDLE_NANOS && c.stillOpen()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(VaultConnection c) {
        if (idleCount.incrementAndGet() > MAX_IDLE) {
            idleCount.decrementAndGet();
            c.close();
            return;
        }
        c.markIdle(System.nanoTime());
        idle.offerFirst(c);
    }

    private VaultConnection open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            Socket raw = channel.socket();
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            raw.setSoTimeout(readTimeoutMillis); // bounds the TLS handshake; each answer has its own deadline
            Socket socket = raw;
            if (tls != null) {
                SSLSocket s = (SSLSocket) tls.createSocket(raw, host, port, true);
                SSLParameters params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
                s.setSoTimeout(readTimeoutMillis);
                s.startHandshake();
                socket = s;
            }
            return new VaultConnection(channel, socket);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
