package io.identitybroker.ibagent;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code ib-agent run}: keeps the identity current and serves it.
 * <ul>
 *   <li>Renews at {@code renewFraction} of the certificate's lifetime, minus up to
 *       {@code renewJitter} of it at random, with a new key each time, through the mTLS rotate
 *       route; publishes the files atomically ({@link StateDir#publish}); runs the reload hook.</li>
 *   <li>Rotates the agent secret every {@code secretRotation} (off when null).</li>
 *   <li>Refreshes the trust bundle as the broker's refresh hint says.</li>
 *   <li>On broker or Vault outages retries with {@link Backoff} and keeps serving the current SVID;
 *       at its expiry exits {@link ExitCodes#EXPIRED}; a revoked agent or secret exits
 *       {@link ExitCodes#REVOKED} at once. Each says what to do in the log and status.json.</li>
 * </ul>
 * All broker work runs on one scheduler thread, so renewals, secret rotations and bundle
 * refreshes never overlap. Never logs a key, secret or token.
 */
public final class Daemon {
    /** Settings of {@code ib-agent run}. */
    public record Settings(Path socket, String socketGroup, double renewFraction, double renewJitter,
                           Duration secretRotation, Duration retryInitial, Duration retryMax) {
    }

    private final StateDir state;
    private final Settings settings;
    private final ReloadHook hook;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ib-agent-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Backoff renewBackoff;
    private final Backoff secretBackoff;
    private final Backoff bundleBackoff;
    private final Instant startedAt = Instant.now();

    private volatile AgentInfo info;
    private volatile String secret;
    /** One client per SVID (made again after each rotation) and one without a certificate. */
    private volatile BrokerClient mtlsClient;
    private BrokerClient anonymousClient;
    /** Held while the secret rotates: a JWT-SVID request never goes out with a secret the broker just replaced. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock secretLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private Identity identity;
    private WorkloadApiServer server;
    private ScheduledFuture<?> expiryCheck;
    private Instant nextRenewal;
    private long rotations;
    private Instant lastRotationAt;
    private String lastError;
    private Instant lastErrorAt;
    private String stateName = DaemonStatus.RUNNING;

    public Daemon(StateDir state, Settings settings, ReloadHook hook) {
        this.state = state;
        this.settings = settings;
        this.hook = hook;
        this.renewBackoff = new Backoff(settings.retryInitial(), settings.retryMax());
        this.secretBackoff = new Backoff(settings.retryInitial(), settings.retryMax());
        this.bundleBackoff = new Backoff(settings.retryInitial(), settings.retryMax());
    }

    /** Runs until the identity expires, the agent is revoked, or the process is asked to stop; returns the exit code. */
    public int run() throws Exception {
        var lock = state.tryLock().orElse(null);
        if (lock == null) {
            Log.error("another ib-agent daemon is running on " + state.path());
            return ExitCodes.ERROR;
        }
        try (lock) {
            info = state.info();
            secret = state.secret();
            Svid svid = state.svid();
            if (!Instant.now().isBefore(svid.notAfter())) {
                expired(svid);
                return exit.get();
            }
            identity = new Identity(info, svid, state.bundle(info.trustDomain())
                    .orElse(SpiffeBundle.ofRoots(info.trustDomain(), svid.bundle())));
            mtlsClient = BrokerClient.mtls(info.brokerUrl(), info.caFile(), svid);
            anonymousClient = BrokerClient.anonymous(info.brokerUrl(), info.caFile());
            server = WorkloadApiServer.start(settings.socket(), settings.socketGroup(),
                    new WorkloadApiService(identity, new JwtSvids(this::jwtSvid)));
            Log.info("serving the Workload API on unix://" + settings.socket() + " for " + info.spiffeId()
                    + " serial=" + svid.serial() + " not_after=" + svid.notAfter());
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopOnSignal, "ib-agent-shutdown"));
            checkCredentials(svid);
            scheduleRenewal(svid);
            scheduleExpiryCheck(svid);
            scheduler.execute(guarded("refreshBundle", this::refreshBundle));
            if (settings.secretRotation() != null) {
                scheduler.schedule(guarded("rotateSecret", this::rotateSecret), settings.secretRotation().toMillis(), TimeUnit.MILLISECONDS);
            }
            writeStatus();
            int code = exit.get();
            shutdown();
            return code;
        }
    }

    private com.fasterxml.jackson.databind.JsonNode jwtSvid(java.util.List<String> audience) throws IOException, BrokerException {
        secretLock.readLock().lock();
        try {
            return mtlsClient.jwtSvid(info.agentId(), secret, audience);
        } finally {
            secretLock.readLock().unlock();
        }
    }

    private void stopOnSignal() {
        if (exit.complete(ExitCodes.OK)) {
            Log.info("stopping on signal");
            stateName = DaemonStatus.STOPPED;
            shutdown();
        }
    }

    private synchronized void shutdown() {
        scheduler.shutdownNow();
        if (server != null) {
            server.close();
            server = null;
        }
        writeStatus();
    }

    /**
     * Asks the broker who it takes us for (GET self), so that a revoked agent learns it at start and
     * the first renewal does not pay for a cold TLS stack. An unreachable broker is only logged.
     */
    private void checkCredentials(Svid svid) {
        try {
            var self = mtlsClient.self(info.agentId(), secret);
            if (!"current".equals(self.path("certificate_status").asText("current"))) {
                Log.warn("the broker sees this certificate as " + self.path("certificate_status").asText()
                        + ", not current: it may not be renewable");
            }
        } catch (BrokerException e) {
            if (e.revoked()) {
                revoked(e);
            } else if (e.expired()) {
                expired(svid);
            } else {
                Log.warn("credential check at start: " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            Log.warn("the broker is not reachable at start (" + describe(e) + "); serving the current identity");
        }
    }

    // ------------------------------------------------------------------ certificate renewal

    /** notBefore + lifetime * (fraction - U[0, jitter]), never in the past. */
    Instant renewalTime(Svid svid) {
        Duration life = Duration.between(svid.notBefore(), svid.notAfter());
        double f = settings.renewFraction() - ThreadLocalRandom.current().nextDouble() * settings.renewJitter();
        Instant at = svid.notBefore().plusMillis((long) (life.toMillis() * Math.max(0.05, f)));
        return at.isBefore(Instant.now()) ? Instant.now() : at;
    }

    private void scheduleRenewal(Svid svid) {
        nextRenewal = renewalTime(svid);
        scheduler.schedule(guarded("renew", this::renew), Math.max(0, Duration.between(Instant.now(), nextRenewal).toMillis()), TimeUnit.MILLISECONDS);
    }

    private void scheduleExpiryCheck(Svid svid) {
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
        }
        // Rounded up: a check that fires before not_after (millisecond truncation, clock steps) looks again.
        long delay = Math.max(0, Duration.between(Instant.now(), svid.notAfter()).toMillis() + 1);
        expiryCheck = scheduler.schedule(() -> {
            Svid current = identity.snapshot().svid();
            if (!Instant.now().isBefore(current.notAfter())) {
                expired(current);
            } else {
                scheduleExpiryCheck(current);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** A scheduled task that cannot die silently: anything unexpected is logged and retried by the task itself. */
    private Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                Log.error(name + " failed unexpectedly: " + describe(t));
            }
        };
    }

    private void renew() {
        if (exit.isDone()) {
            return;
        }
        Identity.Snapshot now = identity.snapshot();
        Svid current = now.svid();
        try {
            KeyType type = KeyType.of(current.key());
            KeyPair keys = type.generate();
            BrokerClient.Issued issued = mtlsClient.rotateCertificate(info.agentId(), secret, Csr.pem(keys, type));
            Svid fresh = Svid.fromBroker(issued.certificate(), issued.caChain(), keys.getPrivate());
            if (!fresh.keyMatches()) {
                throw new IOException("the broker returned a certificate for another key");
            }
            SpiffeBundle bundle = now.bundle().sequence() == 0 && !fresh.bundle().isEmpty()
                    ? SpiffeBundle.ofRoots(info.trustDomain(), fresh.bundle()) : now.bundle();
            fresh = fresh.withBundle(bundle.x509Roots());
            state.publish(fresh);
            mtlsClient = BrokerClient.mtls(info.brokerUrl(), info.caFile(), fresh);
            info = info.withCertificate(fresh.serial(), fresh.notAfter());
            state.writeInfo(info);
            identity.update(fresh, bundle);
            rotations++;
            lastRotationAt = Instant.now();
            renewBackoff.reset();
            stateName = DaemonStatus.RUNNING;
            scheduleRenewal(fresh);
            scheduleExpiryCheck(fresh);
            Log.info("rotated serial=" + fresh.serial() + " not_after=" + fresh.notAfter() + " next_renewal=" + nextRenewal
                    + " previous_serial=" + current.serial());
            writeStatus();
            hook.run("rotated");
        } catch (BrokerException e) {
            if (e.revoked()) {
                revoked(e);
            } else if (e.expired()) {
                expired(current);
            } else if (e.superseded()) {
                superseded(current);
            } else {
                retryRenewal(current, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            retryRenewal(current, describe(e));
        }
    }

    private void retryRenewal(Svid current, String why) {
        Duration wait = renewBackoff.next(Instant.now(), current.notAfter());
        nextRenewal = Instant.now().plus(wait);
        failed("renewal failed (attempt " + renewBackoff.failures() + "): " + why + "; retrying in "
                + wait.toMillis() + " ms; the current certificate serial=" + current.serial() + " stays valid until "
                + current.notAfter());
        scheduler.schedule(guarded("renew", this::renew), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ agent secret

    private void rotateSecret() {
        if (exit.isDone()) {
            return;
        }
        Svid current = identity.snapshot().svid();
        secretLock.writeLock().lock();
        try {
            String fresh = mtlsClient.rotateSecret(info.agentId(), secret);
            state.writeSecret(fresh);
            secret = fresh;
            secretBackoff.reset();
            Log.info("agent secret rotated");
            scheduler.schedule(guarded("rotateSecret", this::rotateSecret), settings.secretRotation().toMillis(), TimeUnit.MILLISECONDS);
            writeStatus();
        } catch (BrokerException e) {
            if (e.revoked()) {
                revoked(e);
                return;
            }
            retrySecret(current, e.getMessage());
        } catch (IOException | RuntimeException e) {
            retrySecret(current, describe(e));
        } finally {
            secretLock.writeLock().unlock();
        }
    }

    private void retrySecret(Svid current, String why) {
        Duration wait = secretBackoff.next(Instant.now(), null);
        failed("secret rotation failed: " + why + "; retrying in " + wait.toMillis() + " ms");
        scheduler.schedule(guarded("rotateSecret", this::rotateSecret), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ trust bundle

    private void refreshBundle() {
        if (exit.isDone()) {
            return;
        }
        Identity.Snapshot now = identity.snapshot();
        try {
            SpiffeBundle fetched;
            try {
                fetched = SpiffeBundle.parse(info.trustDomain(), anonymousClient.bundle(info.trustDomain()));
            } catch (BrokerException e) {
                if (e.status() == 404) { // a broker without the bundle endpoint: the chain's roots stay in use
                    bundleBackoff.reset();
                    scheduler.schedule(guarded("refreshBundle", this::refreshBundle), SpiffeBundle.DEFAULT_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
                throw new IOException(e.getMessage(), e);
            }
            bundleBackoff.reset();
            if (DaemonStatus.RETRYING.equals(stateName) && renewBackoff.failures() == 0 && secretBackoff.failures() == 0) {
                stateName = DaemonStatus.RUNNING;
                writeStatus();
            }
            if (!fetched.sameKeys(now.bundle())) {
                Svid svid = now.svid().withBundle(fetched.x509Roots());
                boolean rootsChanged = !java.util.Arrays.equals(WorkloadApiService.der(fetched.x509Roots()),
                        WorkloadApiService.der(now.svid().bundle()));
                if (rootsChanged) {
                    state.publish(svid);
                }
                state.writeBundle(fetched);
                identity.update(svid, fetched);
                Log.info("trust bundle updated: sequence=" + fetched.sequence() + " x509_roots=" + fetched.x509Roots().size()
                        + " jwt_keys=" + (fetched.hasJwtKeys() ? "yes" : "no"));
                if (rootsChanged) {
                    hook.run("bundle");
                }
            }
            long hint = Math.min(Math.max(fetched.refreshHint().toMillis(), 1000), Duration.ofHours(1).toMillis());
            scheduler.schedule(guarded("refreshBundle", this::refreshBundle), hint, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            Duration wait = bundleBackoff.next(Instant.now(), null);
            failed("trust bundle refresh failed: " + describe(e) + "; retrying in " + wait.toMillis() + " ms");
            scheduler.schedule(guarded("refreshBundle", this::refreshBundle), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------ endings and status

    private void expired(Svid svid) {
        if (exit.isDone()) {
            return;
        }
        stateName = DaemonStatus.EXPIRED;
        failed("the identity expired at " + svid.notAfter() + " (serial " + svid.serial() + ") and an expired certificate "
                + "cannot be renewed. Fix: get a new enrollment token from your tenant admin and run "
                + "'ib-agent enroll --force --dir " + state.path() + " --broker " + (info == null ? "URL" : info.brokerUrl())
                + " --token-file FILE', then start the daemon again");
        exit.complete(ExitCodes.EXPIRED);
    }

    /** No retry can help; the current certificate is served until it expires, then {@link #expired}. */
    private void superseded(Svid current) {
        stateName = DaemonStatus.RENEWAL_IMPOSSIBLE;
        nextRenewal = null;
        failed("the broker no longer takes certificate serial=" + current.serial() + " as this agent's current one "
                + "(a rotation answer was lost, or another process rotated with these files), so it cannot be renewed. "
                + "It stays in use until " + current.notAfter() + ". Fix: get a new enrollment token and run "
                + "'ib-agent enroll --force --dir " + state.path() + " ...' before then");
    }

    private void revoked(BrokerException e) {
        if (exit.isDone()) {
            return;
        }
        stateName = DaemonStatus.REVOKED;
        failed("the broker says this agent was revoked (" + e.type() + (e.getMessage().contains("secret") ? ", secret" : "")
                + "): it stops retrying. Fix: get a new enrollment token and run 'ib-agent enroll --force --dir "
                + state.path() + " ...'");
        exit.complete(ExitCodes.REVOKED);
    }

    private void failed(String message) {
        lastError = message;
        lastErrorAt = Instant.now();
        if (DaemonStatus.RUNNING.equals(stateName)) {
            stateName = DaemonStatus.RETRYING;
        }
        if (!DaemonStatus.RETRYING.equals(stateName)) {
            Log.error(message);
        } else {
            Log.warn(message);
        }
        writeStatus();
    }

    private synchronized void writeStatus() {
        try {
            Svid svid = identity == null ? null : identity.snapshot().svid();
            state.writeStatus(new DaemonStatus(stateName, ProcessHandle.current().pid(), startedAt,
                    settings.socket().toString(), svid == null ? null : svid.serial(), svid == null ? null : svid.notAfter(),
                    exit.isDone() ? null : nextRenewal, rotations, lastRotationAt, lastError, lastErrorAt, Instant.now()));
        } catch (IOException e) {
            Log.warn("cannot write status.json: " + e.getMessage());
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
