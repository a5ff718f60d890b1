package io.identitybroker.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 keep-alive connection over TLS, written by hand so a test knows for certain that two
 * requests travel on the same connection (and the same TLS session).
 */
public final class RawHttpsConnection implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    /** A response: status, headers (lowercase names) and body text. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    public RawHttpsConnection(SSLContext context, String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost() + ":" + uri.getPort();
        this.socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public Response request(String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: keep-alive\r\nContent-Length: 0\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> h = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            h.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                buf.write(in.readNBytes(size));
                line();
            }
            line();
            body = buf.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(h.getOrDefault("content-length", "0")));
        }
        Response response = new Response(code, h, new String(body, StandardCharsets.UTF_8));
        OpenApiContract.check(method, path, code, h.get("content-type"), response.body());
        return response;
    }

    public boolean isOpen() {
        return !socket.isClosed();
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                buf.write(c);
            }
        }
        if (c == -1 && buf.size() == 0) {
            throw new IOException("connection closed by the server");
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
