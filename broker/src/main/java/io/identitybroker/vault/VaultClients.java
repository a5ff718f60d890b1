package io.identitybroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes vault-java-driver clients that all share one {@link HttpClient} (one connection pool), and
 * sends the hot POSTs itself ({@link #post}).
 * A client is bound to one token; it is cheap to build and never mutated afterwards, because the
 * driver's configuration is mutable and shared state would leak tokens between callers.
 */
@Singleton
public class VaultClients {
    /** The driver falls back to environment variables for unset values; the broker wants none of that. */
    private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null;
        }
    };

    private final VaultConfiguration properties;
    private final HttpClient httpClient;
    /** Where {@link #post} sends its requests: its own connections, not the driver's client. */
    private final VaultHttp http;

    public VaultClients(VaultConfiguration properties) {
        this.properties = properties;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.getOpenTimeout());
        SSLContext tls = null;
        if (properties.getCaCert() != null && !properties.getCaCert().isBlank()) {
            tls = sslContextTrusting(Path.of(properties.getCaCert()));
            builder.sslContext(tls);
        }
        this.httpClient = builder.build();
        URI address = URI.create(properties.getAddress());
        this.http = new VaultHttp(address, "https".equalsIgnoreCase(address.getScheme()) ? socketFactory(tls) : null,
                properties.getOpenTimeout(), properties.getReadTimeout());
    }

    /** A client that authenticates with {@code token} (null for unauthenticated login calls). */
    public Vault withToken(String token) {
        try {
            VaultConfig config = new VaultConfig()
                    .environmentLoader(NO_ENVIRONMENT)
                    .address(properties.getAddress())
                    .engineVersion(1)
                    .httpClient(httpClient)
                    .openTimeout(seconds(properties.getOpenTimeout()))
                    .readTimeout(seconds(properties.getReadTimeout()));
            if (token != null) {
                config.token(token);
            }
            return Vault.create(config.build());
        } catch (VaultException e) {
            throw new IllegalStateException("Invalid Vault client configuration", e);
        }
    }

    /**
     * POSTs {@code body} as JSON to {@code /v1/<path>} with {@code token} on {@link VaultHttp}'s
     * kept-alive connections, and returns the parsed answer. No answer at all (connection refused
     * or reset, timeout) is status 0, which {@link VaultFailures} treats as unavailable, like the driver's.
     *
     * @throws VaultRequestException for a status of 400 and above, or no answer
     */
    JsonNode post(String token, String path, Map<String, ?> body) {
        VaultHttp.Answer answer;
        try {
            answer = http.post(path, token, VaultJson.bytes(body));
        } catch (IOException e) {
            throw new VaultRequestException(0, List.of("no answer from Vault (" + e.getClass().getSimpleName() + ")"));
        }
        return VaultJson.root(answer.status(), answer.body());
    }

    public VaultConfiguration properties() {
        return properties;
    }

    private static int seconds(Duration d) {
        return (int) d.toSeconds(); // at least 1: VaultConfigurationProperties
    }

    /** The context trusting {@code VAULT_CACERT} when set, else the JVM's default trust. */
    private static SSLSocketFactory socketFactory(SSLContext trusting) {
        try {
            return (trusting == null ? SSLContext.getDefault() : trusting).getSocketFactory();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("No default TLS context", e);
        }
    }

    /** A TLS context that trusts only the certificates in {@code pemBundle}. */
    static SSLContext sslContextTrusting(Path pemBundle) {
        try (InputStream in = Files.newInputStream(pemBundle)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("vault-ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read VAULT_CACERT " + pemBundle, e);
        }
    }
}
