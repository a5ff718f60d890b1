package loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Helpers every part of the load generator uses: HTTP requests and TLS, CSRs, /proc readings, formatting. */
final class Util {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();

    private Util() {
    }

    static HttpClient newClient(SSLContext ssl) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(ssl).build();
    }

    static List<String> generateCsrs(String key, int n) {
        long t = System.nanoTime();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(csr(keyPair(key)));
        }
        log("generated %d %s CSRs in %.1f s", n, key.equals("rsa") ? "RSA-2048" : "EC P-256", (System.nanoTime() - t) / 1e9);
        return out;
    }

    static KeyPair keyPair(String key) {
        try {
            if (key.equals("rsa")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** A CSR without SANs (the broker assigns the identity), CN=bench-agent. */
    static String csr(KeyPair keys) {
        try {
            String alg = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bench-agent"), keys.getPublic())
                    .build(new JcaContentSignerBuilder(alg).setProvider(BC).build(keys.getPrivate()));
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(req.getEncoded())
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON POST; {@code auth} is "X-Vault-Token: t" for Vault, "Authorization: Bearer t" for the admin API, or null. */
    static HttpRequest jsonPost(String url, String auth, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (auth != null) {
            int colon = auth.indexOf(": ");
            b.header(auth.substring(0, colon), auth.substring(colon + 2));
        }
        return b.build();
    }

    static String vaultAuth(String token) {
        return "X-Vault-Token: " + token;
    }

    static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    static HttpRequest formPost(String url, String form) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    static SSLContext sslContext(String rootCaFile, KeyManagerFactory keys) {
        try (InputStream in = Files.newInputStream(Path.of(rootCaFile))) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys == null ? null : keys.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the TLS context from " + rootCaFile, e);
        }
    }

    static String loadAverage() {
        String[] f = read("/proc/loadavg").split(" ");
        return f.length >= 3 ? f[0] + " / " + f[1] + " / " + f[2] : "?";
    }

    static String memTotal() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0);
            }
        }
        return "?";
    }

    static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt0(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    static void log(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "bench: " + fmt + "%n", args);
    }
}
