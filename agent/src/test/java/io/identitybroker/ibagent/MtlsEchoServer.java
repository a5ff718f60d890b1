package io.identitybroker.ibagent;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TLS server that requires a client certificate chaining to the agent's trust bundle (read once
 * at start, as a relying party would) and answers each connection with the client's URI SAN.
 */
final class MtlsEchoServer implements AutoCloseable {
    private final SSLServerSocket socket;
    private final AtomicBoolean open = new AtomicBoolean(true);

    MtlsEchoServer(List<X509Certificate> serverChain, PrivateKey serverKey, List<X509Certificate> trustedRoots) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKey, new char[0], serverChain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < trustedRoots.size(); i++) {
            ts.setCertificateEntry("root" + i, trustedRoots.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(true);
        Thread t = new Thread(this::serve, "mtls-echo");
        t.setDaemon(true);
        t.start();
    }

    static MtlsEchoServer withBrokerCertificate(Path certFile, Path keyFile, List<X509Certificate> roots) throws Exception {
        return new MtlsEchoServer(Pem.parseCertificates(Files.readString(certFile)), Pem.parsePrivateKey(Files.readString(keyFile)), roots);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (open.get()) {
            try {
                SSLSocket s = (SSLSocket) socket.accept();
                Thread h = new Thread(() -> answer(s), "mtls-echo-conn");
                h.setDaemon(true);
                h.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(SSLSocket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.read();
            X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
            String san = String.valueOf(peer.getSubjectAlternativeNames().iterator().next().get(1));
            out.write(("ok " + san + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (Exception ignored) {
            // the client sees the failure
        }
    }

    @Override
    public void close() throws IOException {
        open.set(false);
        socket.close();
    }
}
