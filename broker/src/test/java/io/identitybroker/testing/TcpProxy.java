package io.identitybroker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder that a test can cut and restore, to make a real server unreachable
 * for the broker without touching the server itself.
 */
public final class TcpProxy implements AutoCloseable {
    private final int port;
    private final InetAddress targetHost;
    private final int targetPort;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean hangUpOnRequest;
    /** Everything the client side sent upstream, as ISO-8859-1 text (the tests speak plain HTTP to Vault). */
    private final StringBuffer requests = new StringBuffer();

    public TcpProxy(int targetPort) {
        this(InetAddress.getLoopbackAddress(), targetPort);
    }

    /** Forwards to another loopback address (e.g. 127.0.0.2), so that the proxy's own address differs from the target's. */
    public TcpProxy(InetAddress targetHost, int targetPort) {
        this.port = TestVault.freePort();
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        restore();
    }

    /** Connections the proxy accepted and forwarded so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops accepting and drops every open connection: the target becomes unreachable. */
    public synchronized void cut() {
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        listener = null;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
    }

    /** Closes every open connection but keeps accepting new ones, as a server closing idle connections does. */
    public synchronized void dropConnections() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
    }

    /**
     * From now until {@link #restore()}, the target reads each request and hangs up without an
     * answer, as a server that dies mid-query does: the client's write succeeds, its read meets
     * end-of-stream.
     */
    public void hangUpOnNextRequests() {
        hangUpOnRequest = true;
    }

    /** What clients sent through the proxy so far (request lines, headers, bodies). */
    public String requestsSent() {
        return requests.toString();
    }

    public synchronized void restore() {
        hangUpOnRequest = false;
        if (listener != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = s;
            Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-" + port);
            accept.setDaemon(true);
            accept.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                if (!register(s, client, upstream)) {
                    return;
                }
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Tracks a new connection unless {@link #cut()} closed its listener meanwhile: a connection
     * accepted while the proxy is being cut must not outlive the cut.
     */
    private synchronized boolean register(ServerSocket acceptedBy, Socket client, Socket upstream) throws IOException {
        if (listener != acceptedBy) {
            client.close();
            upstream.close();
            return false;
        }
        open.add(client);
        open.add(upstream);
        accepted.incrementAndGet();
        return true;
    }

    private void pump(Socket from, Socket to, boolean requests) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (requests && hangUpOnRequest) {
                        drain(from, in);
                        return; // the finally below closes both sides without forwarding a byte
                    }
                    if (requests) {
                        this.requests.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection ended
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                open.remove(from);
                open.remove(to);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Reads the rest of the request, so that closing sends an orderly end-of-stream rather than a reset. */
    private static void drain(Socket from, InputStream in) throws IOException {
        from.setSoTimeout(100);
        try {
            while (in.read(new byte[8192]) >= 0) {
                // discarded
            }
        } catch (java.net.SocketTimeoutException quiet) {
            // the client has sent everything and now waits for the answer it will not get
        }
    }

    @Override
    public void close() {
        cut();
    }
}
