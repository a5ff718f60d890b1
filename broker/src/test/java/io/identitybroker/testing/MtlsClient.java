package io.identitybroker.testing;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds {@link BrokerApi} clients that present a client certificate: any chain with its key,
 * offered whatever CA the server asks for (so tests can present untrusted or forged certificates
 * and see what the broker answers).
 */
public final class MtlsClient {
    private MtlsClient() {
    }

    /** A client presenting {@code chain} (leaf first) and proving possession with {@code key}. */
    public static BrokerApi of(BrokerInstance broker, TestVault vault, List<X509Certificate> chain, PrivateKey key) {
        return of(broker.api().baseUrl(), vault, chain, key);
    }

    /** The same for a broker at {@code baseUrl} (e.g. a {@link BrokerProcess}). */
    public static BrokerApi of(String baseUrl, TestVault vault, List<X509Certificate> chain, PrivateKey key) {
        return new BrokerApi(baseUrl, vault.env("IB_ROOT_CA_FILE"), keyManagers(chain, key));
    }

    /** The same from PEM: the leaf, then its CA chain (as the exchange returns them). */
    public static BrokerApi of(BrokerInstance broker, TestVault vault, String certificatePem, List<String> caChainPem,
                               PrivateKey key) {
        return of(broker, vault, TestCertificates.chain(certificatePem, caChainPem), key);
    }

    /** A TLS context presenting the chain, trusting the dev root: for raw-socket tests. */
    public static javax.net.ssl.SSLContext sslContext(TestVault vault, List<X509Certificate> chain, PrivateKey key) {
        return BrokerApi.sslContext(vault.env("IB_ROOT_CA_FILE"), keyManagers(chain, key));
    }

    public static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key) {
        return new KeyManager[]{new FixedKeyManager(chain.toArray(new X509Certificate[0]), key)};
    }

    /** Always offers the one chain it holds. */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "agent";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        FixedKeyManager(X509Certificate[] chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[]{ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

}
