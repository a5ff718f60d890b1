package io.identitybroker.federation;

import io.identitybroker.ids.SpiffeId;
import io.identitybroker.mtls.ForeignSvidChains;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * SPIFFE authentication of an {@code https_spiffe} bundle endpoint (SPIFFE Trust Domain and
 * Bundle §5.2.2): the server's chain must validate against the trust domain's own current bundle
 * (the bootstrap bundle before the first fetch) and its leaf must carry exactly the configured
 * SPIFFE ID. There is no hostname check: the SPIFFE ID replaces it, which is why this is an
 * {@link X509ExtendedTrustManager} (JSSE adds hostname verification only around plain trust managers).
 */
final class SpiffeServerTrustManager extends X509ExtendedTrustManager {
    private static final int MAX_CHAIN = 4;

    private final List<X509Certificate> roots;
    private final String expectedId;
    private final Clock clock;

    SpiffeServerTrustManager(List<X509Certificate> roots, String expectedId, Clock clock) {
        this.roots = List.copyOf(roots);
        this.expectedId = expectedId;
        this.clock = clock;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the bundle endpoint presented no certificate");
        }
        ForeignSvidChains.Refusal refusal = ForeignSvidChains.validateServer(Arrays.asList(chain), roots, clock.instant(), MAX_CHAIN);
        if (refusal != null) {
            throw new CertificateException("the bundle endpoint's SVID is not valid for its bundle: " + refusal);
        }
        String presented = ForeignSvidChains.spiffeIdOf(chain[0]).map(SpiffeId::toString).orElse(null);
        if (!expectedId.equals(presented)) {
            throw new CertificateException("the bundle endpoint's SPIFFE ID is not " + expectedId);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
