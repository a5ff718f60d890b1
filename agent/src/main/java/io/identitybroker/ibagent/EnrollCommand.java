package io.identitybroker.ibagent;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ib-agent enroll}: makes the key here (it never leaves the machine), sends only the CSR
 * with the one-time token, and writes the identity into the state directory. A valid identity
 * already there is kept unless {@code --force}. Failure: nothing in the directory changes.
 */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Enroll with a one-time enrollment token: make a key and CSR locally, exchange them, write the "
                + "SVID files into DIR. Prints the SPIFFE ID.")
public final class EnrollCommand implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--broker", required = true, paramLabel = "URL", description = "Broker base URL, e.g. https://broker:8443")
    String broker;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificates that verify the broker's TLS certificate (default: the JDK trust store).")
    Path caFile;

    @ArgGroup(multiplicity = "1")
    TokenSource token;

    static final class TokenSource {
        @Option(names = "--token", paramLabel = "T", description = "The enrollment token (visible in the process list: prefer --token-file).")
        String value;
        @Option(names = "--token-file", paramLabel = "F", description = "File holding the enrollment token.")
        Path file;

        String read() throws IOException {
            return value != null ? value.strip() : Files.readString(file).strip();
        }
    }

    @Option(names = "--key-type", defaultValue = "ec-p256", paramLabel = "TYPE",
            description = "ec-p256 (default), ec-p384, ed25519 or rsa-2048.")
    String keyType;

    @Option(names = "--force", description = "Enroll again even if DIR holds a valid identity.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        KeyType type = KeyType.parse(keyType);
        StateDir state = dir.state();
        state.create();
        Optional<AutoCloseable> lock = state.tryLock();
        if (lock.isEmpty()) {
            System.err.println("ib-agent: a daemon is running on " + state.path() + "; stop it before enrolling again");
            return ExitCodes.ERROR;
        }
        try (AutoCloseable held = lock.get()) {
            if (!force && state.enrolled()) {
                Optional<String> kept = validIdentity(state);
                if (kept.isPresent()) {
                    System.err.println("ib-agent: " + state.path() + " already holds a valid identity; nothing changed (--force to enroll again)");
                    System.out.println(kept.get());
                    return ExitCodes.OK;
                }
            }
            String caPath = caFile == null ? null : caFile.toAbsolutePath().toString();
            BrokerClient client = BrokerClient.anonymous(broker, caPath);
            KeyPair keys = type.generate();
            BrokerClient.Issued issued;
            try {
                issued = client.exchange(token.read(), Csr.pem(keys, type));
            } catch (BrokerException e) {
                System.err.println("ib-agent: enrollment refused: " + e.getMessage());
                return ExitCodes.of(e);
            } catch (IOException e) {
                System.err.println("ib-agent: cannot reach the broker at " + broker + ": " + e);
                return ExitCodes.UNAVAILABLE;
            }
            Svid svid = Svid.fromBroker(issued.certificate(), issued.caChain(), keys.getPrivate());
            if (!svid.keyMatches()) {
                throw new IOException("the broker returned a certificate for another key");
            }
            AgentInfo info = new AgentInfo(issued.agentId(), issued.spiffeId(), AgentInfo.tenantOf(issued.spiffeId()),
                    broker, caPath, type.label(), svid.serial(), svid.notAfter());
            SpiffeBundle bundle = null;
            try {
                bundle = Bundles.fetchOrChainRoots(client, info.trustDomain(), svid);
                svid = svid.withBundle(bundle.x509Roots());
            } catch (IOException e) { // the token is spent: keep the identity, with the chain's roots for now
                Log.warn("trust bundle not fetched (" + e.getMessage() + "); using the roots of the certificate chain");
            }
            // Secret first: a crash after it leaves an identity that a second enroll replaces.
            state.writeSecret(issued.agentSecret());
            state.publish(svid);
            state.writeInfo(info);
            if (bundle != null) {
                state.writeBundle(bundle);
            }
            Log.info("enrolled " + issued.spiffeId() + " serial=" + svid.serial() + " not_after=" + svid.notAfter()
                    + " dir=" + state.path());
            System.out.println(issued.spiffeId());
            return ExitCodes.OK;
        }
    }

    private static Optional<String> validIdentity(StateDir state) {
        try {
            Svid svid = state.svid();
            state.secret();
            if (Instant.now().isBefore(svid.notAfter()) && svid.keyMatches()) {
                return Optional.of(state.info().spiffeId());
            }
        } catch (IOException | RuntimeException unusable) {
            // an unreadable or partial identity is replaced
        }
        return Optional.empty();
    }
}
