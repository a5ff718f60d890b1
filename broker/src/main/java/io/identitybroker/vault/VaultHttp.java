package io.identitybroker.vault;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
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
    /** Vault's answers here are a certificate chain or a signature; anything far larger is not Vault's. */
    static final int MAX_BODY = 8 * 1024 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
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
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
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
        Connection c = pooled();
        if (c == null) {
            c = open();
        }
        try {
            c.out.write(head);
            c.out.write(json);
            c.out.flush();
            c.deadline.startNanos(System.nanoTime() + readTimeoutNanos);
            Answer answer = c.read();
            if (c.reusable) {
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

    private Connection pooled() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (System.nanoTime() - c.idleSince < MAX_IDLE_NANOS && c.stillOpen()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(Connection c) {
        if (idleCount.incrementAndGet() > MAX_IDLE) {
            idleCount.decrementAndGet();
            c.close();
            return;
        }
        c.idleSince = System.nanoTime();
        idle.offerFirst(c);
    }

    private Connection open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            Socket raw = channel.socket();
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            raw.setSoTimeout(readTimeoutMillis);
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
            return new Connection(channel, socket, readTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** One kept-alive connection; used by one request at a time. */
    private static final class Connection {
        private final SocketChannel channel;
        private final Socket socket;
        private final Deadline deadline;
        private final InputStream in;
        private final OutputStream out;
        private boolean reusable;
        private long idleSince;

        Connection(SocketChannel channel, Socket socket, int readTimeoutMillis) throws IOException {
            this.channel = channel;
            this.socket = socket;
            this.deadline = new Deadline(socket, socket.getInputStream(), readTimeoutMillis);
            this.in = new BufferedInputStream(deadline, 8192);
            // One flush per request: head and body leave as one segment (one TLS record).
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 4096);
        }

        /**
         * Whether Vault has neither closed the connection nor sent anything unasked since the last
         * answer. A TLS close_notify read here is consumed from under the TLS layer: the
         * connection is then closed, never used again.
         */
        boolean stillOpen() {
            try {
                if (in.available() > 0) {
                    return false;
                }
                channel.configureBlocking(false);
                try {
                    return channel.read(ByteBuffer.allocate(1)) == 0;
                } finally {
                    channel.configureBlocking(true);
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        Answer read() throws IOException {
            while (true) {
                String status = line();
                if (!status.startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP/1.x answer");
                }
                int code = statusCode(status);
                boolean http11 = status.startsWith("HTTP/1.1");
                long length = -1;
                boolean chunked = false;
                boolean close = !http11;
                int headBytes = status.length();
                for (String h = line(); !h.isEmpty(); h = line()) {
                    headBytes += h.length();
                    if (headBytes > MAX_HEAD) {
                        throw new IOException("answer headers too large");
                    }
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("malformed answer header");
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    switch (name) {
                        case "content-length" -> length = contentLength(value, length);
                        case "transfer-encoding" -> chunked = value.endsWith("chunked");
                        case "connection" -> close = value.contains("close") || (!http11 && !value.contains("keep-alive"));
                        default -> { }
                    }
                }
                if (code >= 100 && code < 200) {
                    continue; // an interim answer (100 Continue): the final one follows
                }
                byte[] body;
                if (code == 204 || code == 304) {
                    body = new byte[0];
                } else if (chunked) {
                    body = chunkedBody();
                } else if (length >= 0) {
                    body = in.readNBytes((int) length);
                    if (body.length != length) {
                        throw new EOFException("answer ended before its Content-Length");
                    }
                } else {
                    body = untilEnd();
                    close = true;
                }
                reusable = !close;
                return new Answer(code, body);
            }
        }

        private static int statusCode(String statusLine) throws IOException {
            if (statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("malformed status line");
            }
            try {
                return Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("malformed status line", e);
            }
        }

        private static long contentLength(String value, long previous) throws IOException {
            long length;
            try {
                length = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length", e);
            }
            if (length < 0 || length > MAX_BODY || (previous >= 0 && previous != length)) {
                throw new IOException("unacceptable Content-Length");
            }
            return length;
        }

        private byte[] chunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
            while (true) {
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
                int size;
                try {
                    size = Integer.parseInt(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size", e);
                }
                if (size < 0 || body.size() + (long) size > MAX_BODY) {
                    throw new IOException("answer body too large");
                }
                if (size == 0) {
                    for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                        // trailers carry nothing the broker reads
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size) {
                    throw new EOFException("answer ended inside a chunk");
                }
                body.write(chunk);
                if (!line().isEmpty()) {
                    throw new IOException("malformed chunk end");
                }
            }
        }

        private byte[] untilEnd() throws IOException {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("answer body too large");
            }
            return body;
        }

        /** One line without its CRLF (a bare LF ends one too). */
        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("answer ended");
                }
                if (b == '\n') {
                    int end = s.length();
                    if (end > 0 && s.charAt(end - 1) == '\r') {
                        s.setLength(end - 1);
                    }
                    return s.toString();
                }
                if (s.length() >= MAX_HEAD) {
                    throw new IOException("answer line too long");
                }
                s.append((char) b);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * The socket's input with one deadline for a whole answer: before each read the socket's
     * timeout is set to what is left of it, so a server that sends slowly cannot stretch the wait.
     */
    private static final class Deadline extends java.io.FilterInputStream {
        private final Socket socket;
        private final int idleTimeoutMillis;
        private long deadlineNanos;

        Deadline(Socket socket, InputStream in, int idleTimeoutMillis) {
            super(in);
            this.socket = socket;
            this.idleTimeoutMillis = idleTimeoutMillis;
        }

        void startNanos(long deadline) {
            this.deadlineNanos = deadline;
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }

        private void arm() throws IOException {
            if (deadlineNanos == 0) {
                socket.setSoTimeout(idleTimeoutMillis);
                return;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new java.net.SocketTimeoutException("Vault did not answer within the read timeout");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        }
    }
}
