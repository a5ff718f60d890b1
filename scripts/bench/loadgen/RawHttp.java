package loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

import static loadgen.Util.read;

/**
 * The lightest closed-loop client that still speaks real HTTP/1.1 over TLS: one keep-alive
 * {@code SSLSocket} per worker, the same pre-serialised request each time, the answer read up
 * to its Content-Length. java.net.http costs about 0.1 ms of CPU per request, which at the
 * introspection target (10,000 req/s on two shared cores) would be half the machine.
 */
final class RawHttp {
    private final javax.net.ssl.SSLSocketFactory tls;
    private final String host;
    private final int port;
    private final byte[] request;

    RawHttp(SSLContext ssl, URI target, String method, Map<String, String> headers, String body) {
        this.tls = ssl.getSocketFactory();
        this.host = target.getHost();
        this.port = target.getPort();
        StringBuilder b = new StringBuilder(method).append(' ').append(target.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        b.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.US_ASCII);
        this.request = Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, request, head.length, content.length);
    }

    /** A sender with its own connection, opened on first use and again after the server closes it. */
    Sender connection() {
        return new Sender() {
            java.net.Socket socket;
            java.io.OutputStream out;
            java.io.BufferedInputStream in;

            @Override
            public HttpResponse<String> send(HttpRequest ignored) throws IOException {
                if (socket == null) {
                    socket = tls.createSocket(host, port);
                    socket.setTcpNoDelay(true);
                    out = socket.getOutputStream();
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
                }
                try {
                    out.write(request);
                    out.flush();
                    return read();
                } catch (IOException e) {
                    socket.close();
                    socket = null;
                    throw e;
                }
            }

            private HttpResponse<String> read() throws IOException {
                String status = line();
                int length = -1;
                boolean close = false;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(lower.substring(15).trim());
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                if (length < 0) {
                    throw new IOException("no Content-Length in the answer");
                }
                byte[] body = in.readNBytes(length);
                if (close) {
                    socket.close();
                    socket = null;
                }
                return new RawResponse(Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
            }

            private String line() throws IOException {
                StringBuilder b = new StringBuilder();
                for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                    if (ch < 0) {
                        throw new IOException("connection closed mid-answer");
                    }
                    if (ch != '\r') {
                        b.append((char) ch);
                    }
                }
                return b.toString();
            }
        };
    }
}
