package io.identitybroker.ibagent;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state directory's files: modes, atomic switch, and readers that never see a foreign key. */
class StateDirTest {
    @TempDir
    Path tmp;

    @Test
    void publishedFilesHaveTheirModesAndTheNamesPointIntoTheCurrentVersion() throws Exception {
        StateDir state = new StateDir(tmp.resolve("state"));
        state.create();
        state.publish(svid(0));
        state.writeSecret("s3cret");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.path())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.file("svid_key.pem"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.file("agent_secret"))));
        assertEquals(Path.of("current", "svid.pem"), Files.readSymbolicLink(state.file("svid.pem")));
        assertTrue(state.svid().keyMatches());
    }

    @Test
    void aReaderNeverSeesAKeyThatDoesNotMatchTheCertificateWhileVersionsSwitch() throws Exception {
        StateDir state = new StateDir(tmp.resolve("state"));
        state.create();
        List<Svid> svids = List.of(svid(1), svid(2), svid(3), svid(4));
        state.publish(svids.get(0));
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger mismatches = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    SvidFiles.Read r = SvidFiles.read(state.path());
                    if (!Pem.matches(r.key(), r.chain().get(0).getPublicKey())) {
                        mismatches.incrementAndGet();
                    }
                    reads.incrementAndGet();
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 60; i++) {
            state.publish(svids.get(i % svids.size()));
        }
        reader.interrupt();
        reader.join();
        assertEquals(null, error.get());
        assertEquals(0, mismatches.get(), "of " + reads.get() + " reads");
        assertTrue(reads.get() > 0);
        try (var versions = Files.list(state.file(".svid"))) {
            assertTrue(versions.count() <= 3, "old versions are pruned");
        }
    }

    @Test
    void backoffDoublesWithJitterAndLeavesRoomBeforeTheDeadline() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        Instant now = Instant.now();
        for (int i = 1; i <= 6; i++) {
            long d = Math.min(8000, 1000L << (i - 1));
            long wait = b.next(now, null).toMillis();
            assertTrue(wait >= d / 2 && wait <= d, "attempt " + i + ": " + wait);
        }
        assertTrue(b.next(now, now.plusSeconds(3)).toMillis() <= 1000, "a third of the time left at most");
    }

    /** A self-signed certificate with a fresh P-256 key. */
    static Svid svid(int n) throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        X500Name name = new X500Name("CN=test-" + n);
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(n + 1), Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new Svid(List.of(cert), keys.getPrivate(), List.of(cert));
    }
}
