package io.identitybroker.vault;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection to Vault, used by one request at a time: writes a request,
 * reads one whole answer (sized, chunked, or up to the end of the stream), and says whether the
 * connection may carry another. Any malformed or oversized answer is an {@link IOException}; the
 * caller then closes the connection.
 */
final class VaultConnection {
    /** Vault's answers here are a certificate chain or a signature; anything far larger is not Vault's. */
    private static final int MAX_BODY = 8 * 1024 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    private final SocketChannel channel;
    private final Socket socket;
    private final Deadline deadline;
    private final InputStream in;
    private final OutputStream out;
    private boolean reusable;
    private long idleSince;

    VaultConnection(SocketChannel channel, Socket socket) throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.deadline = new Deadline(socket, socket.getInputStream());
        this.in = new BufferedInputStream(deadline, 8192);
        // One flush per request: head and body leave as one segment (one TLS record).
        this.out = new BufferedOutputStream(socket.getOutputStream(), 4096);
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

    /**
     * Sends one request and reads its whole answer before {@code deadlineNanos} ({@link System#nanoTime}).
     *
     * @throws IOException when there was no complete answer
     */
    VaultHttp.Answer exchange(byte[] head, byte[] body, long deadlineNanos) throws IOException {
        out.write(head);
        out.write(body);
        out.flush();
        deadline.startNanos(deadlineNanos);
        return read();
    }

    /** Whether the last answer left the connection usable for another request. */
    boolean reusable() {
        return reusable;
    }

    /** When the connection was last put back idle ({@link System#nanoTime}). */
    long idleSince() {
        return idleSince;
    }

    void markIdle(long nanos) {
        idleSince = nanos;
    }

    private VaultHttp.Answer read() throws IOException {
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
            return new VaultHttp.Answer(code, body);
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

    /**
     * The socket's input with one deadline for a whole answer: before each read the socket's
     * timeout is set to what is left of it, so a server that sends slowly cannot stretch the wait.
     */
    private static final class Deadline extends FilterInputStream {
        private final Socket socket;
        private long deadlineNanos;

        Deadline(Socket socket, InputStream in) {
            super(in);
            this.socket = socket;
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
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("Vault did not answer within the read timeout");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        }
    }
}
