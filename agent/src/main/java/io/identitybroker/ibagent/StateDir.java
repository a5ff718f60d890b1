package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The agent's state directory (mode 0700). The SVID files keep spiffe-helper's names, but they are
 * symbolic links into one version directory, so that a certificate and its key change together:
 * <pre>
 *   svid.pem        -> current/svid.pem         leaf, then intermediates
 *   svid_key.pem    -> current/svid_key.pem     PKCS#8, 0600
 *   svid_bundle.pem -> current/svid_bundle.pem  the trust domain's roots
 *   current         -> .svid/000042             switched by one rename(2)
 *   .svid/000042/   the three files, written and fsynced before the switch
 *   agent_secret    0600, replaced by rename(2)
 *   agent.json      identity and broker (no secret)
 *   status.json     the daemon's state, last error, next renewal
 *   bundle.json     the trust bundle last fetched (roots and JWT keys)
 * </pre>
 * A reader that resolves {@code current} once and reads the files of that version always gets a
 * matching key and certificate; a version stays on disk for two more switches, so a slow reader
 * is not cut off. Links are relative, so the directory can be mounted at another path.
 * Failure: any I/O error propagates before {@code current} moves, leaving the previous version in force.
 */
public final class StateDir {
    public static final String CERT = "svid.pem";
    public static final String KEY = "svid_key.pem";
    public static final String BUNDLE = "svid_bundle.pem";
    public static final String SECRET = "agent_secret";
    public static final String INFO = "agent.json";
    public static final String STATUS = "status.json";
    public static final String BUNDLE_JSON = "bundle.json";
    public static final String CURRENT = "current";
    static final String VERSIONS = ".svid";
    private static final int KEEP_VERSIONS = 3;

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public StateDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Creates the directory with mode 0700 (and narrows an existing one to it). */
    public void create() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile: narrowed below
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    public boolean enrolled() {
        return Files.exists(file(INFO)) && Files.exists(file(CURRENT));
    }

    public AgentInfo info() throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file(INFO)), AgentInfo.class);
        } catch (NoSuchFileException e) {
            throw new NotEnrolledException(dir);
        }
    }

    public void writeInfo(AgentInfo info) throws IOException {
        AtomicFiles.write(file(INFO), JSON.writeValueAsBytes(info), AtomicFiles.READABLE);
    }

    public String secret() throws IOException {
        try {
            return Files.readString(file(SECRET), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new NotEnrolledException(dir);
        }
    }

    public void writeSecret(String secret) throws IOException {
        AtomicFiles.write(file(SECRET), (secret + "\n").getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
    }

    /** The SVID in force: the three files of the version {@code current} points to, read together. */
    public Svid svid() throws IOException {
        Path version;
        try {
            version = dir.resolve(Files.readSymbolicLink(file(CURRENT)));
        } catch (NoSuchFileException e) {
            throw new NotEnrolledException(dir);
        }
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(version.resolve(CERT)));
        var key = Pem.parsePrivateKey(Files.readString(version.resolve(KEY)));
        List<X509Certificate> bundle = Pem.parseCertificates(Files.readString(version.resolve(BUNDLE)));
        return new Svid(chain, key, bundle);
    }

    /**
     * Makes {@code svid} the one in force: a new version directory with the three files, fsynced,
     * then {@code current} switched by rename(2); older versions beyond the last few are removed.
     */
    public void publish(Svid svid) throws IOException {
        Path versions = file(VERSIONS);
        Files.createDirectories(versions);
        String name = String.format("%06d", nextVersion(versions));
        Path staging = versions.resolve("." + name + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        AtomicFiles.writeNew(staging.resolve(KEY), Pem.privateKey(svid.key()).getBytes(StandardCharsets.US_ASCII),
                AtomicFiles.OWNER_ONLY);
        AtomicFiles.writeNew(staging.resolve(CERT), Pem.certificates(svid.chain()).getBytes(StandardCharsets.US_ASCII),
                AtomicFiles.READABLE);
        AtomicFiles.writeNew(staging.resolve(BUNDLE), Pem.certificates(svid.bundle()).getBytes(StandardCharsets.US_ASCII),
                AtomicFiles.READABLE);
        AtomicFiles.fsyncDirectory(staging);
        Path version = versions.resolve(name);
        Files.move(staging, version, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.fsyncDirectory(versions);

        Path link = file("." + CURRENT + ".tmp-" + UUID.randomUUID());
        Files.createSymbolicLink(link, dir.relativize(version));
        AtomicFiles.move(link, file(CURRENT));
        for (String f : List.of(CERT, KEY, BUNDLE)) {
            ensureLink(f);
        }
        AtomicFiles.fsyncDirectory(dir);
        prune(versions, name);
    }

    /** svid.pem etc. point into {@code current}; made once, repaired if something replaced them. */
    private void ensureLink(String name) throws IOException {
        Path link = file(name);
        Path target = Path.of(CURRENT, name);
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Path tmp = file("." + name + ".tmp-" + UUID.randomUUID());
        Files.createSymbolicLink(tmp, target);
        AtomicFiles.move(tmp, link);
    }

    private static int nextVersion(Path versions) throws IOException {
        return versionNames(versions).stream().mapToInt(Integer::parseInt).max().orElse(0) + 1;
    }

    private static List<String> versionNames(Path versions) throws IOException {
        try (Stream<Path> s = Files.list(versions)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).sorted().toList();
        }
    }

    private void prune(Path versions, String keep) throws IOException {
        List<String> names = new ArrayList<>(versionNames(versions));
        names.sort(Comparator.reverseOrder());
        for (int i = KEEP_VERSIONS; i < names.size(); i++) {
            if (!names.get(i).equals(keep)) {
                deleteTree(versions.resolve(names.get(i)));
            }
        }
        try (Stream<Path> s = Files.list(versions)) { // staging left by a crash
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** Removes everything the agent wrote (before a forced enrollment). */
    public void clearIdentity() throws IOException {
        for (String f : List.of(CERT, KEY, BUNDLE, CURRENT, SECRET, INFO, STATUS, BUNDLE_JSON)) {
            Files.deleteIfExists(file(f));
        }
        if (Files.exists(file(VERSIONS))) {
            deleteTree(file(VERSIONS));
        }
    }

    /** The last trust bundle fetched from the broker (X.509 roots and JWT keys), if any. */
    public Optional<SpiffeBundle> bundle(String trustDomain) {
        try {
            return Optional.of(SpiffeBundle.parse(trustDomain, Files.readString(file(BUNDLE_JSON))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void writeBundle(SpiffeBundle bundle) throws IOException {
        AtomicFiles.write(file(BUNDLE_JSON), bundle.toJson().getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);
    }

    public Optional<DaemonStatus> status() {
        try {
            return Optional.of(JSON.readValue(file(STATUS).toFile(), DaemonStatus.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void writeStatus(DaemonStatus status) throws IOException {
        AtomicFiles.write(file(STATUS), JSON.writeValueAsBytes(status), AtomicFiles.READABLE);
    }

    /**
     * The directory's lock, held by a running daemon (and briefly by enroll): empty when another
     * process holds it. The OS releases it when the holder dies, so a crash leaves no stale lock.
     */
    public Optional<AutoCloseable> tryLock() throws IOException {
        FileChannel ch = FileChannel.open(file(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(() -> {
                lock.release();
                ch.close();
            });
        } catch (OverlappingFileLockException e) {
            ch.close();
            return Optional.empty();
        }
    }

    /** Whether a daemon holds the lock right now. */
    public boolean daemonRunning() {
        if (!Files.exists(file(".lock"))) {
            return false;
        }
        try {
            Optional<AutoCloseable> lock = tryLock();
            if (lock.isPresent()) {
                lock.get().close();
                return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** No identity in the directory. */
    public static final class NotEnrolledException extends IOException {
        public NotEnrolledException(Path dir) {
            super("no identity in " + dir + ": run 'ib-agent enroll' first");
        }
    }
}
