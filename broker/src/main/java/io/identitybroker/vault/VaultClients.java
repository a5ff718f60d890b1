package io.identitybroker.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * Makes vault-java-driver clients that all share one {@link HttpClient} (one connection pool).
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

    public VaultClients(VaultConfiguration properties) {
        this.properties = properties;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.getOpenTimeout());
        if (properties.getCaCert() != null && !properties.getCaCert().isBlank()) {
            builder.sslContext(sslContextTrusting(Path.of(properties.getCaCert())));
        }
        this.httpClient = builder.build();
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

    public VaultConfiguration properties() {
        return properties;
    }

    private static int seconds(Duration d) {
        return (int) d.toSeconds(); // at least 1: VaultConfigurationProperties
    }

    private static SSLContext sslContextTrusting(Path pemBundle) {
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
