package io.identitybroker.federation;

import io.identitybroker.pki.Pem;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Fetches a SPIFFE bundle from a bundle endpoint: HTTPS with the {@code https_web} profile (the
 * server certificate verified, hostname included, against the trust domain's configured roots or,
 * without them, the JDK trust store) or the {@code https_spiffe} profile (the server's X.509-SVID
 * verified against the domain's own current bundle and its configured SPIFFE ID,
 * {@link SpiffeServerTrustManager}); no redirects, no cookies, a bounded body.
 * Failures are {@link FetchFailed} with a short reason code for logs, metrics and the API.
 */
@Singleton
public class BundleEndpointClient {
    private static final int MAX_BODY = 256 * 1024;

    private final FederationConfiguration properties;
    private final java.time.Clock clock;

    public BundleEndpointClient(FederationConfiguration properties, java.time.Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** Why a fetch failed: {@code unreachable}, {@code http_status}, {@code too_large}, {@code invalid_bundle}. */
    public static final class FetchFailed extends Exception {
        private final String reason;

        FetchFailed(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * @param current the trust domain's last good bundle, else its bootstrap bundle: what an
     *                https_spiffe endpoint's SVID is verified against (unused for https_web)
     */
    public SpiffeBundle fetch(TrustDomain td, SpiffeBundle current) throws FetchFailed {
        HttpClient client;
        try {
            SSLContext ssl = TrustDomain.HTTPS_SPIFFE.equals(td.profile())
                    ? spiffeContext(current, td.endpointSpiffeId()) : sslContext(td.endpointCa());
            client = HttpClient.newBuilder().connectTimeout(properties.getFetchTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).sslContext(ssl).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new FetchFailed("invalid_endpoint_ca", "the endpoint CA cannot be used");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(td.endpointUrl())).timeout(properties.getFetchTimeout())
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new FetchFailed("unreachable", "the bundle endpoint cannot be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("unreachable", "interrupted");
        }
        if (response.statusCode() != 200) {
            throw new FetchFailed("http_status", "the bundle endpoint answered HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_BODY) {
            throw new FetchFailed("too_large", "the bundle is larger than 256 KiB");
        }
        try {
            return SpiffeBundle.parse(td.name(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new FetchFailed("invalid_bundle", e.getMessage());
        }
    }

    private SSLContext spiffeContext(SpiffeBundle current, String endpointId) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[]{new SpiffeServerTrustManager(current.x509Authorities(), endpointId, clock)}, null);
        return ctx;
    }

    private static SSLContext sslContext(String endpointCa) throws GeneralSecurityException, IOException {
        if (endpointCa == null || endpointCa.isBlank()) {
            return SSLContext.getDefault();
        }
        List<X509Certificate> roots = Pem.certificates(endpointCa);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < roots.size(); i++) {
            store.setCertificateEntry("root-" + i, roots.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
