package io.identitybroker.mtls;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.netty.ssl.CertificateProvidedSslBuilder;
import io.micronaut.http.ssl.ServerSslConfiguration;
import io.micronaut.http.ssl.SslConfiguration;
import io.micronaut.http.netty.NettyTlsUtils;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The server's TLS set-up with one change: client certificates are accepted at the TLS layer
 * whatever they chain to, and merely recorded in the session.
 * <p>
 * Why: the anchors (every tenant's CA from Vault, plus the operator's CA file) change at run
 * time, and the decision depends on the route and on which tenant the certificate names, so it
 * is made per request by {@link AgentAuthenticator}, which validates the recorded chain with
 * PKIX. JSSE still verifies the client's CertificateVerify signature, so a recorded chain always
 * comes with proof that the client holds the leaf's private key. Client authentication stays
 * <em>wanted</em>, not needed (from {@code micronaut.server.ssl.client-authentication}): routes decide.
 * No acceptable issuers are advertised, so clients send their certificate whatever CA issued it
 * and a wrong one is answered with a precise problem instead of a silent "no certificate".
 */
@Singleton
@Replaces(CertificateProvidedSslBuilder.class)
@Requires(property = "micronaut.server.ssl.enabled", value = "true")
public class ClientCertificateSslBuilder extends CertificateProvidedSslBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateSslBuilder.class);

    public ClientCertificateSslBuilder(HttpServerConfiguration httpServerConfiguration, ServerSslConfiguration ssl,
                                       ResourceResolver resourceResolver) {
        super(httpServerConfiguration, ssl, resourceResolver);
    }

    @Override
    protected void processBuilder(SslContextBuilder builder, SslConfiguration ssl, HttpVersion httpVersion) {
        super.processBuilder(builder, ssl, httpVersion);
        builder.trustManager(RecordingTrustManager.INSTANCE);
        // BoringSSL (netty-tcnative) costs a fraction of the JDK's TLS per request; say which one serves.
        LOG.info("TLS provider: {}", NettyTlsUtils.sslProvider(ssl));
    }

    /** Accepts any non-empty client chain; never used to verify a server. */
    static final class RecordingTrustManager extends X509ExtendedTrustManager {
        static final RecordingTrustManager INSTANCE = new RecordingTrustManager();
        /** Far more than any real chain; bounds the work a hostile client can cause before routing. */
        private static final int MAX_CHAIN = 10;
        private static final X509Certificate[] NONE = new X509Certificate[0];

        private static void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || chain.length > MAX_CHAIN) {
                throw new CertificateException("empty or oversized client certificate chain");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server-side trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("server-side trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("server-side trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return NONE;
        }
    }
}
