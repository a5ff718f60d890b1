package io.identitybroker.ibagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads the agent's files as docs/agent.md tells readers to: through the spiffe-helper names,
 * certificate, key, certificate again, retrying when the two certificate reads differ (a switch
 * happened in between). Versions only move forward, so equal reads bracket a matching key.
 */
final class SvidFiles {
    record Read(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> bundle, int retries) {
    }

    private SvidFiles() {
    }

    static Read read(Path dir) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                String cert = Files.readString(dir.resolve("svid.pem"));
                String key = Files.readString(dir.resolve("svid_key.pem"));
                String bundle = Files.readString(dir.resolve("svid_bundle.pem"));
                if (cert.equals(Files.readString(dir.resolve("svid.pem")))) {
                    return new Read(Pem.parseCertificates(cert), Pem.parsePrivateKey(key), Pem.parseCertificates(bundle), attempt);
                }
            } catch (NoSuchFileException pruned) {
                // a version removed while we read it: read again
            }
        }
        throw new IOException("the files kept changing during 50 reads");
    }
}
