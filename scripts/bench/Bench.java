// Load generator of scripts/bench.sh (issue 7): the broker against raw Vault, side by side.
//
// Launched by scripts/bench.sh as a single-file program on the broker jar's class path (for
// BouncyCastle and Jackson):   java -cp broker/target/broker.jar scripts/bench/Bench.java [options]
// It needs the environment bench.sh sets up (see Env below); run `scripts/bench.sh --help`.
//
//   java -cp broker/target/broker.jar scripts/bench/Bench.java jfr-summary FILE.jfr
// prints where the recorded JVM spent its time (used by --profile).
//
// Scenarios:
//   (a) raw Vault  POST <mount>/sign/<role>          same CSRs, same body as the broker sends
//   (b) broker     POST /api/v1/agent-enrollment/exchange   one enrollment token per exchange
//   (c) broker     POST /oauth2/token (mTLS)  vs raw  POST transit/sign/identity-broker-jwt  [skipped on 404]
//   (d) broker     POST /oauth2/introspect                                              [skipped on 404]
//   (e) the broker's resident memory at the end (VmRSS)
// Both targets are driven with the same java.net.http.HttpClient set-up (HTTP/1.1, keep-alive,
// one client per target, closed loop of N worker threads).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

public class Bench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("jfr-summary")) {
            JfrSummary.print(Path.of(args[1]), System.out, args.length > 2 ? Integer.parseInt(args[2]) : 25);
            return;
        }
        Options o = Options.parse(args);
        new Bench(o, Env.load()).run();
    }

    // ------------------------------------------------------------------ options and environment

    /** Command-line options (bench.sh passes its own through). */
    static final class Options {
        boolean quick;
        String key = "ec";            // ec (P-256) | rsa (2048)
        int csrPool = -1;             // distinct CSRs, cycled; -1: 1024 for EC, 64 for RSA
        double warmupSeconds = -1;    // per cell
        double measureSeconds = -1;   // per cell
        int[] concurrency = {1, 8, 32};
        int maxRequests = 40_000;     // per measured window (bounds token minting and memory)
        int rounds = -1;              // measured rounds per cell, alternating with its pair; -1: 3 (quick: 1)
        Set<String> scenarios = new HashSet<>(List.of("a", "b", "c", "d"));
        boolean profile;
        int profileAt = 32;           // concurrency of the profiled window
        String profileScenario = "b"; // broker scenario of the profiled window: b | c | d
        String jfrSettings = "profile"; // JFR settings of the profiled window: profile | default
        Path out;
        Path artifacts = Path.of("target/bench");

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--rsa" -> o.key = "rsa";
                    case "--ec" -> o.key = "ec";
                    case "--profile" -> o.profile = true;
                    case "--jfr-settings" -> {
                        o.profile = true;
                        o.jfrSettings = args[++i];
                    }
                    case "--profile-at" -> {
                        o.profile = true;
                        o.profileAt = Integer.parseInt(args[++i]);
                    }
                    case "--profile-scenario" -> {
                        o.profile = true;
                        o.profileScenario = args[++i];
                        if (!Set.of("b", "c", "d").contains(o.profileScenario)) {
                            throw new IllegalArgumentException("--profile-scenario is one of b, c, d (the broker's scenarios)");
                        }
                    }
                    case "--csrs" -> o.csrPool = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmupSeconds = Double.parseDouble(args[++i]);
                    case "--duration" -> o.measureSeconds = Double.parseDouble(args[++i]);
                    case "--max-requests" -> o.maxRequests = Integer.parseInt(args[++i]);
                    case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                    case "--concurrency" -> o.concurrency = Arrays.stream(args[++i].split(","))
                            .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                    case "--scenarios" -> o.scenarios = new HashSet<>(Arrays.asList(args[++i].split(",")));
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--artifacts" -> o.artifacts = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see scripts/bench.sh --help)");
                }
            }
            if (o.warmupSeconds < 0) {
                o.warmupSeconds = o.quick ? 1 : 4;
            }
            if (o.measureSeconds < 0) {
                o.measureSeconds = o.quick ? 3 : 15;
            }
            if (o.rounds < 0) {
                o.rounds = o.quick ? 1 : 3;
            }
            if (o.csrPool < 0) {
                o.csrPool = o.key.equals("rsa") ? 64 : 1024;
            }
            if (o.out == null) {
                o.out = o.quick ? o.artifacts.resolve("performance-quick.md") : Path.of("docs/performance.md");
            }
            if (o.measureSeconds > 60 || o.warmupSeconds > 30 || o.concurrency.length > 6 || o.rounds < 1 || o.rounds > 10
                    || Arrays.stream(o.concurrency).anyMatch(c -> c < 1 || c > 256)) {
                throw new IllegalArgumentException("bounded runs only: --duration <= 60, --warmup <= 30, --rounds 1..10, concurrency 1..256");
            }
            return o;
        }
    }

    /** What bench.sh started and where it is (see scripts/bench.sh). */
    record Env(String vaultAddr, String brokerUrl, String rootCaFile, String adminToken, String roleId,
               String secretIdFile, String trustDomain, String tenant, long brokerPid, long vaultPid, long clkTck,
               String javaVersion, String vaultVersion, String brokerJavaOpts, String command, String database,
               String brokerJar) {
        static Env load() {
            return new Env(req("VAULT_ADDR"), req("BENCH_BROKER_URL"), req("IB_ROOT_CA_FILE"), req("IB_ADMIN_TOKEN_ACME"),
                    req("BROKER_VAULT_APPROLE_ROLE_ID"), req("BROKER_VAULT_APPROLE_SECRET_ID_FILE"),
                    opt("IB_TRUST_DOMAIN", "example.org"), opt("BENCH_TENANT", "acme"),
                    Long.parseLong(req("BENCH_BROKER_PID")), Long.parseLong(opt("BENCH_VAULT_PID", "0")),
                    Long.parseLong(opt("BENCH_CLK_TCK", "100")), opt("BENCH_JAVA_VERSION", System.getProperty("java.runtime.version")),
                    opt("BENCH_VAULT_VERSION", "?"), opt("BENCH_BROKER_JAVA_OPTS", ""), opt("BENCH_COMMAND", "scripts/bench.sh"),
                    opt("BENCH_DB_LABEL", "H2 file"), opt("BENCH_BROKER_JAR_LABEL", ""));
        }

        private static String req(String name) {
            String v = System.getenv(name);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException(name + " is not set: run this through scripts/bench.sh");
            }
            return v;
        }

        private static String opt(String name, String dflt) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? dflt : v;
        }
    }

    // ------------------------------------------------------------------ results

    /** One measured window. */
    record Cell(String scenario, String target, int concurrency, long ok, long errors, double seconds,
                double throughput, double p50Ms, double p99Ms, double brokerCpuMsPerReq, double vaultCpuMsPerReq,
                double loadgenCpuMsPerReq, double otherCores, String brokerThreads, String note, double[] roundRates) {
        /** (max - min) / mean of the rounds' throughput: how steady the cell was within this run. */
        double spread() {
            if (roundRates.length < 2) {
                return Double.NaN;
            }
            double mean = Arrays.stream(roundRates).average().orElse(Double.NaN);
            return (Arrays.stream(roundRates).max().orElse(0) - Arrays.stream(roundRates).min().orElse(0)) / mean;
        }
    }

    /** A scenario that was not measured, and why. */
    record Skipped(String scenario, String reason) {
    }

    final Options o;
    final Env env;
    final HttpClient vault;
    final HttpClient broker;
    final List<Cell> cells = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final String startedAt = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    final String loadAtStart = loadAverage();
    String vaultToken;
    List<String> csrs;
    String profileSummary;
    String liveHeap = "?";
    String nativeMemory;
    /** The report this run replaces, if any: its figures are compared with this run's (repeatability). */
    String previous;
    String warmupNote = "";

    Bench(Options o, Env env) {
        this.o = o;
        this.env = env;
        SSLContext trustRoot = sslContext(env.rootCaFile(), null);
        // The same kind of client for both targets: only the address (and TLS for the broker) differ.
        this.vault = newClient(trustRoot);
        this.broker = newClient(trustRoot);
    }

    static HttpClient newClient(SSLContext ssl) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(ssl).build();
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        log("machine: %d cores, %s memory, load average %s", Runtime.getRuntime().availableProcessors(),
                memTotal(), loadAtStart);
        log("mode: %s, %s CSRs (%d distinct), warm-up %.0f s + measure %.0f s per cell, concurrency %s",
                o.quick ? "quick" : "full", keyLabel(), o.csrPool, o.warmupSeconds, o.measureSeconds,
                Arrays.toString(o.concurrency));
        vaultToken = appRoleLogin();
        csrs = generateCsrs(o.key, o.csrPool);
        if (o.profile) {
            // bench.sh started JFR with the broker (see there); keep it set up, but record nothing until the profile.
            try {
                jcmd("JFR.stop", "name=ib-launch");
            } catch (IllegalStateException e) {
                log("no launch-time JFR recording to stop (%s); the profiled window may run slower than the cells", e.getMessage());
            }
        }

        // Global warm-up, not measured: connections on both sides and, above all, the broker's JIT. A
        // broker that is still compiling spends more CPU in its compiler threads than on requests, so
        // rounds continue until the compiler threads use less than 10 % of a core (or time is up).
        long warmStart = System.nanoTime();
        double warmBudget = o.quick ? 10 : 90;
        int round = o.quick ? 60 : 300;
        double rawRate = 0;
        double exchangeRate = 0;
        double jitCores = Double.NaN;
        int rounds = 0;
        while (true) {
            rounds++;
            double jit0 = compilerMs();
            long r0 = System.nanoTime();
            rawRate = runWindow(vault, 8, 120, rawSignRequests(round), this::vaultCertOk, null).throughput();
            exchangeRate = runWindow(broker, 8, 120, exchangeRequests(mintTokens(round)), this::exchangeOk, null).throughput();
            jitCores = (compilerMs() - jit0) / ((System.nanoTime() - r0) / 1e6);
            double elapsed = (System.nanoTime() - warmStart) / 1e9;
            if (rounds >= 2 && jitCores < 0.10 || elapsed > warmBudget) {
                break;
            }
        }
        warmupNote = String.format(Locale.ROOT, "%d rounds of %d raw signs + %d exchanges at concurrency 8 in %.0f s; "
                        + "the broker's JIT compiler threads used %.2f cores in the last round%s", rounds, round, round,
                (System.nanoTime() - warmStart) / 1e9, jitCores, jitCores < 0.10 ? "" : " (still compiling: the time budget ran out)");
        log("global warm-up: %s", warmupNote);

        for (int c : o.concurrency) {
            paired(o.scenarios.contains("a") ? new Side("a", "raw Vault sign", sender(vault), this::rawSignRequests,
                            this::vaultCertOk, lastRate("a", rawRate)) : null,
                    o.scenarios.contains("b") ? new Side("b", "broker exchange", sender(broker),
                            n -> exchangeRequests(mintTokens(n)), this::exchangeOk, lastRate("b", exchangeRate)) : null, c);
        }
        if (o.scenarios.contains("c") || o.scenarios.contains("d")) {
            new OAuthScenarios().run();
        }
        if (o.profile && o.profileScenario.equals("b")) {
            int c = o.profileAt;
            double rate = rateOf("b", c, lastRate("b", 150));
            profile("b", "exchanges", broker, c, exchangeRequests(mintTokens(bounded(rate * o.warmupSeconds * 2 + 4L * c))),
                    exchangeRequests(mintTokens(bounded(rate * o.measureSeconds * 1.6 + 4L * c))), this::exchangeOk);
        }
        Memory mem = Memory.of(env.brokerPid());
        Memory vaultMem = env.vaultPid() > 0 ? Memory.of(env.vaultPid()) : null;
        nativeMemory = nativeMemory();
        liveHeap = liveHeapAfterFullGc();
        String loadAtEnd = loadAverage();
        double minutes = (System.nanoTime() - t0) / 60e9;
        String report = table(mem, vaultMem);
        System.out.println();
        System.out.println(report);
        for (String[] t : targets(mem)) {
            System.out.printf(Locale.ROOT, "target %-52s %-42s %-48s %s%n", t[0], t[1], t[2], t[3]);
        }
        System.out.printf(Locale.ROOT, "load average at start %s, at end %s; run took %.1f min%n", loadAtStart, loadAtEnd, minutes);
        Files.createDirectories(o.out.toAbsolutePath().getParent());
        previous = Files.exists(o.out) ? Files.readString(o.out) : null;
        Files.writeString(o.out, markdown(mem, vaultMem, loadAtEnd, minutes));
        log("wrote %s", o.out);
    }

    /** The rate of the scenario's latest cell (the previous concurrency), else {@code dflt}. */
    double lastRate(String scenario, double dflt) {
        double r = dflt;
        for (Cell x : cells) {
            if (x.scenario().equals(scenario) && x.ok() > 0) {
                r = x.throughput();
            }
        }
        return r;
    }

    double rateOf(String scenario, int c, double dflt) {
        return cells.stream().filter(x -> x.scenario().equals(scenario) && x.concurrency() == c && x.ok() > 0)
                .mapToDouble(Cell::throughput).findFirst().orElse(dflt);
    }

    /** One side of a pair of cells: where its requests go, how they are prepared and judged. */
    record Side(String scenario, String target, java.util.function.Supplier<Sender> senders,
                IntFunction<List<HttpRequest>> prepare, Predicate<HttpResponse<String>> ok, double expectedRate) {
    }

    /**
     * Two cells at one concurrency, measured in alternation (either side may be null: measured
     * alone). Each side warms up, then the measured time is split into {@code o.rounds} rounds of
     * x then y, so that both sides of a ratio see the same machine: a slow minute (other work,
     * Vault's own GC, the hypervisor) lands in both instead of in one. Requests (for the broker,
     * enrollment tokens) are prepared before each window from the previous window's rate with
     * 60 % headroom; a window that runs out of them ends early and says so.
     */
    void paired(Side x, Side y, int c) {
        List<Side> sides = new ArrayList<>();
        if (x != null) {
            sides.add(x);
        }
        if (y != null) {
            sides.add(y);
        }
        double roundSeconds = o.measureSeconds / o.rounds;
        Map<Side, Double> rate = new LinkedHashMap<>();
        Map<Side, List<Window>> windows = new LinkedHashMap<>();
        for (Side side : sides) {
            rate.put(side, warmUp(side, c));
            windows.put(side, new ArrayList<>());
        }
        for (int r = 0; r < o.rounds; r++) {
            for (Side side : sides) {
                List<HttpRequest> requests = side.prepare().apply(bounded(rate.get(side) * roundSeconds * 1.6 + 4L * c));
                Window w = runWindow(side.senders(), c, roundSeconds, requests, side.ok(), Cpu.snapshot(env));
                if (w.ok() > 0) {
                    rate.put(side, w.throughput());
                }
                windows.get(side).add(w);
            }
        }
        for (Side side : sides) {
            List<Window> ws = windows.get(side);
            Cell cell = Window.merge(ws).toCell(side.scenario(), side.target(), c,
                    ws.stream().mapToDouble(Window::throughput).toArray());
            cells.add(cell);
            log("%-5s %-22s c=%-3d %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  rounds %s%s", side.scenario(),
                    side.target(), c, cell.throughput(), cell.p50Ms(), cell.p99Ms(), cell.errors(), roundsOf(cell),
                    cell.note().isEmpty() ? "" : "  (" + cell.note() + ")");
            if (!isRaw(cell)) {
                log("      broker CPU %.2f ms/req by thread: %s", cell.brokerCpuMsPerReq(), cell.brokerThreads());
            }
        }
    }

    /**
     * Warm-up windows for one side at this concurrency; the rate of the last. A broker side keeps
     * warming while its JIT compiler threads use more than a tenth of a core (a new endpoint or
     * concurrency recompiles hot paths; measured, that compiling showed up as up to 0.8 ms per
     * request), for at most four warm-up lengths.
     */
    double warmUp(Side side, int c) {
        double rate = side.expectedRate();
        long started = System.nanoTime();
        while (true) {
            double jit0 = compilerMs();
            long t0 = System.nanoTime();
            Window warm = runWindow(side.senders(), c, o.warmupSeconds,
                    side.prepare().apply(bounded(rate * o.warmupSeconds * 1.6 + 4L * c)), side.ok(), null);
            double jitCores = (compilerMs() - jit0) / ((System.nanoTime() - t0) / 1e6);
            if (warm.ok() > 0) {
                rate = warm.throughput();
            }
            if (isRaw(side.scenario()) || o.quick || jitCores < 0.10 || (System.nanoTime() - started) / 1e9 >= 4 * o.warmupSeconds) {
                return rate;
            }
            log("      %s c=%d still warming: the broker's JIT used %.2f cores", side.scenario(), c, jitCores);
        }
    }

    /** Cells that call Vault directly: the broker idles during them. */
    static boolean isRaw(Cell c) {
        return isRaw(c.scenario());
    }

    static boolean isRaw(String scenario) {
        return scenario.equals("a") || scenario.endsWith("-raw");
    }

    /** "1201 / 1180 / 1230 (4 %)": each round's throughput and their spread. */
    static String roundsOf(Cell c) {
        String rates = Arrays.stream(c.roundRates()).mapToObj(r -> String.format(Locale.ROOT, "%.0f", r))
                .collect(Collectors.joining(" / "));
        return Double.isNaN(c.spread()) ? rates : String.format(Locale.ROOT, "%s (%.0f %%)", rates, 100 * c.spread());
    }

    /** java.net.http as a {@link Sender}: the client is shared, senders are free. */
    static java.util.function.Supplier<Sender> sender(HttpClient client) {
        return () -> r -> client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The lightest closed-loop client that still speaks real HTTP/1.1 over TLS: one keep-alive
     * {@code SSLSocket} per worker, the same pre-serialised request each time, the answer read up
     * to its Content-Length. java.net.http costs about 0.1 ms of CPU per request, which at the
     * introspection target (10,000 req/s on two shared cores) would be half the machine.
     */
    static final class RawHttp {
        private final javax.net.ssl.SSLSocketFactory tls;
        private final String host;
        private final int port;
        private final byte[] request;

        RawHttp(SSLContext ssl, URI target, String method, Map<String, String> headers, String body) {
            this.tls = ssl.getSocketFactory();
            this.host = target.getHost();
            this.port = target.getPort();
            StringBuilder b = new StringBuilder(method).append(' ').append(target.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n");
            headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            b.append("Content-Length: ").append(content.length).append("\r\n\r\n");
            byte[] head = b.toString().getBytes(StandardCharsets.US_ASCII);
            this.request = Arrays.copyOf(head, head.length + content.length);
            System.arraycopy(content, 0, request, head.length, content.length);
        }

        /** A sender with its own connection, opened on first use and again after the server closes it. */
        Sender connection() {
            return new Sender() {
                java.net.Socket socket;
                java.io.OutputStream out;
                java.io.BufferedInputStream in;

                @Override
                public HttpResponse<String> send(HttpRequest ignored) throws IOException {
                    if (socket == null) {
                        socket = tls.createSocket(host, port);
                        socket.setTcpNoDelay(true);
                        out = socket.getOutputStream();
                        in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
                    }
                    try {
                        out.write(request);
                        out.flush();
                        return read();
                    } catch (IOException e) {
                        socket.close();
                        socket = null;
                        throw e;
                    }
                }

                private HttpResponse<String> read() throws IOException {
                    String status = line();
                    int length = -1;
                    boolean close = false;
                    for (String h = line(); !h.isEmpty(); h = line()) {
                        String lower = h.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("content-length:")) {
                            length = Integer.parseInt(lower.substring(15).trim());
                        } else if (lower.startsWith("connection:") && lower.contains("close")) {
                            close = true;
                        }
                    }
                    if (length < 0) {
                        throw new IOException("no Content-Length in the answer");
                    }
                    byte[] body = in.readNBytes(length);
                    if (close) {
                        socket.close();
                        socket = null;
                    }
                    return new RawResponse(Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
                }

                private String line() throws IOException {
                    StringBuilder b = new StringBuilder();
                    for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                        if (ch < 0) {
                            throw new IOException("connection closed mid-answer");
                        }
                        if (ch != '\r') {
                            b.append((char) ch);
                        }
                    }
                    return b.toString();
                }
            };
        }
    }

    /** Status and body of an answer read by {@link RawHttp}; what the scenarios' checks look at. */
    record RawResponse(int statusCode, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    int bounded(double n) {
        return (int) Math.max(8, Math.min(o.maxRequests, Math.ceil(n)));
    }

    // ------------------------------------------------------------------ (a) and (b)

    /** The broker's policy, not root: Vault evaluates the same ACL for (a) as for the broker's own calls. */
    String appRoleLogin() throws IOException, InterruptedException {
        String secretId = Files.readString(Path.of(env.secretIdFile())).trim();
        HttpResponse<String> r = vault.send(jsonPost(env.vaultAddr() + "/v1/auth/approle/login", null,
                Map.of("role_id", env.roleId(), "secret_id", secretId)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("AppRole login failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("auth").path("client_token").asText();
    }

    /** Exactly the body the broker's VaultPkiBackend sends, with a fresh SPIFFE ID per request. */
    List<HttpRequest> rawSignRequests(int n) {
        String url = env.vaultAddr() + "/v1/pki-tenants/" + env.tenant() + "/sign/agent";
        List<HttpRequest> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String spiffe = "spiffe://" + env.trustDomain() + "/tenant/" + env.tenant() + "/agent/" + UUID.randomUUID();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("csr", csrs.get(i % csrs.size()));
            body.put("uri_sans", spiffe);
            body.put("format", "pem");
            body.put("exclude_cn_from_sans", true);
            list.add(jsonPost(url, vaultAuth(vaultToken), body));
        }
        return list;
    }

    List<HttpRequest> exchangeRequests(List<String> tokens) {
        String url = env.brokerUrl() + "/api/v1/agent-enrollment/exchange";
        List<HttpRequest> list = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            list.add(jsonPost(url, null, Map.of("token", tokens.get(i), "csr", csrs.get(i % csrs.size()))));
        }
        return list;
    }

    boolean vaultCertOk(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("\"certificate\"");
    }

    boolean exchangeOk(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("\"agent_secret\"");
    }

    /** Single-use enrollment tokens through the admin API, 8 at a time (outside every measured window). */
    List<String> mintTokens(int n) {
        long t = System.nanoTime();
        String url = env.brokerUrl() + "/api/v1/tenants/" + env.tenant() + "/enrollment-tokens";
        HttpRequest req = jsonPost(url, bearer(env.adminToken()), Map.of("ttl_seconds", 3600, "max_uses", 1,
                "agent_name", "bench-agent", "scopes", List.of("bench.read")));
        String[] out = new String[n];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                fs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        HttpResponse<String> r = broker.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException("minting an enrollment token: " + r.statusCode() + " " + r.body());
                        }
                        out[i] = JSON.readTree(r.body()).path("token").asText();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        double s = (System.nanoTime() - t) / 1e9;
        if (s > 2) {
            log("   minted %d enrollment tokens in %.1f s", n, s);
        }
        return Arrays.asList(out);
    }

    // ------------------------------------------------------------------ (c) and (d): OAuth2

    /**
     * Token issuance and introspection. Each scenario probes its endpoint first and is skipped,
     * with the reason printed, when it answers 404 (a broker built without it).
     */
    final class OAuthScenarios {
        HttpClient mtls;
        SSLContext mtlsSsl;
        String agentId;
        String accessToken;

        void run() throws Exception {
            boolean wantC = o.scenarios.contains("c");
            boolean wantD = o.scenarios.contains("d");
            int tokenProbe = probe("/oauth2/token", "grant_type=client_credentials&client_id=probe");
            int introspectProbe = probe("/oauth2/introspect", "token=probe");
            if (tokenProbe == 404) {
                skip(wantC, "c", "POST /oauth2/token answered 404: the token endpoint is not implemented yet");
                skip(wantD, "d", introspectProbe == 404
                        ? "POST /oauth2/introspect answered 404: introspection is not implemented yet"
                        : "needs access tokens from POST /oauth2/token, which answered 404");
                return;
            }
            String why = enrollMtlsAgent();
            if (why != null) {
                skip(wantC, "c", why);
                skip(wantD, "d", why);
                return;
            }
            if (wantC) {
                runTokenIssuance();
            }
            if (wantD) {
                if (introspectProbe == 404) {
                    skip(true, "d", "POST /oauth2/introspect answered 404: introspection is not implemented yet");
                } else {
                    runIntrospection();
                }
            }
        }

        void skip(boolean wanted, String scenario, String reason) {
            if (wanted) {
                skipped.add(new Skipped(scenario, reason));
                log("%-2s skipped: %s", scenario, reason);
            }
        }

        int probe(String path, String form) throws IOException, InterruptedException {
            return broker.send(formPost(env.brokerUrl() + path, form), HttpResponse.BodyHandlers.ofString()).statusCode();
        }

        /** Enrolls one agent whose key the harness keeps, and builds an mTLS client with its certificate. */
        String enrollMtlsAgent() throws Exception {
            KeyPair keys = keyPair(o.key);
            String csr = csr(keys);
            HttpResponse<String> r = broker.send(jsonPost(env.brokerUrl() + "/api/v1/agent-enrollment/exchange", null,
                    Map.of("token", mintTokens(1).get(0), "csr", csr)), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return "could not enroll the mTLS agent: " + r.statusCode() + " " + r.body();
            }
            JsonNode e = JSON.readTree(r.body());
            agentId = e.path("agent_id").asText();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<Certificate> chain = new ArrayList<>();
            chain.add(cf.generateCertificate(new ByteArrayInputStream(e.path("certificate").asText().getBytes(StandardCharsets.US_ASCII))));
            for (JsonNode c : e.path("ca_chain")) {
                chain.add(cf.generateCertificate(new ByteArrayInputStream(c.asText().getBytes(StandardCharsets.US_ASCII))));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "bench".toCharArray();
            ks.setKeyEntry("agent", keys.getPrivate(), pw, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            mtlsSsl = sslContext(env.rootCaFile(), kmf);
            mtls = newClient(mtlsSsl);
            HttpResponse<String> t = mtls.send(tokenRequest(), HttpResponse.BodyHandlers.ofString());
            if (t.statusCode() != 200 || !t.body().contains("access_token")) {
                return "POST /oauth2/token over mTLS answered " + t.statusCode() + " " + abbreviate(t.body());
            }
            accessToken = JSON.readTree(t.body()).path("access_token").asText();
            return null;
        }

        // client_credentials with tls_client_auth (RFC 8705 section 2.2): client_id in the body, the
        // certificate is the authentication; no scope asks for the agent's enrolled scopes.
        HttpRequest tokenRequest() {
            return formPost(env.brokerUrl() + "/oauth2/token",
                    "grant_type=client_credentials&client_id=" + URLEncoder.encode(agentId, StandardCharsets.UTF_8));
        }

        void runTokenIssuance() throws Exception {
            // Raw side: transit sign of a payload as long as the broker's JWS signing input (header.payload).
            int signingInput = accessToken.lastIndexOf('.') > 0 ? accessToken.lastIndexOf('.') : accessToken.length();
            notes.add("(c) raw transit sign input: " + signingInput + " random bytes (the length of the broker's JWS signing input)");
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] b = new byte[signingInput];
                RANDOM.nextBytes(b);
                inputs.add(Base64.getEncoder().encodeToString(b));
            }
            // What the broker's VaultTransitTokenSigner asks per token (sha2-256, jws marshaling), one call each;
            // the broker batches its calls with batch_input, which is its advantage to show.
            String url = env.vaultAddr() + "/v1/transit/sign/identity-broker-jwt/sha2-256";
            IntFunction<List<HttpRequest>> raw = n -> {
                List<HttpRequest> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(jsonPost(url, vaultAuth(vaultToken), Map.of("input", inputs.get(i % inputs.size()), "marshaling_algorithm", "jws")));
                }
                return l;
            };
            HttpRequest same = tokenRequest();
            // Identical requests: a virtual list, so these windows are bounded by time only.
            IntFunction<List<HttpRequest>> issue = n -> Collections.nCopies(Integer.MAX_VALUE, same);
            Predicate<HttpResponse<String>> signed = r -> r.statusCode() == 200 && r.body().contains("\"signature\"");
            Predicate<HttpResponse<String>> issued = r -> r.statusCode() == 200 && r.body().contains("\"access_token\"");
            for (int c : o.concurrency) {
                paired(new Side("c-raw", "raw transit sign", sender(vault), raw, signed, lastRate("c-raw", 500)),
                        new Side("c", "broker token (mTLS)", sender(mtls), issue, issued, lastRate("c", lastRate("c-raw", 300))), c);
            }
            if (o.profile && o.profileScenario.equals("c")) {
                profile("c", "token requests", mtls, o.profileAt, issue.apply(0), issue.apply(0), issued);
            }
        }

        // A resource server authenticates with a Vault token holding read on identity-broker/introspect
        // (the platform admin's, in the dev set-up); the answer is computed without calling Vault.
        void runIntrospection() throws Exception {
            String resourceServerToken = System.getenv().getOrDefault("IB_PLATFORM_ADMIN_TOKEN", env.adminToken());
            HttpRequest req = HttpRequest.newBuilder(URI.create(env.brokerUrl() + "/oauth2/introspect"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Vault-Token", resourceServerToken)
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)))
                    .build();
            HttpResponse<String> first = mtls.send(req, HttpResponse.BodyHandlers.ofString());
            if (first.statusCode() != 200 || !first.body().contains("\"active\"")) {
                skip(true, "d", "POST /oauth2/introspect answered " + first.statusCode() + " " + abbreviate(first.body())
                        + " (adjust the client authentication in Bench.java OAuthScenarios.runIntrospection)");
                return;
            }
            Predicate<HttpResponse<String>> active = r -> r.statusCode() == 200 && r.body().replace(" ", "").contains("\"active\":true");
            // The headline (d): the lean client, so that the load generator takes as little of the two cores as it
            // can; (d-jdk): the same requests through java.net.http, as every other scenario sends them.
            RawHttp raw = new RawHttp(mtlsSsl, URI.create(env.brokerUrl() + "/oauth2/introspect"), "POST",
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Vault-Token", resourceServerToken),
                    "token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
            List<HttpRequest> same = Collections.nCopies(Integer.MAX_VALUE, req);
            for (int c : o.concurrency) {
                paired(new Side("d", "broker introspect", raw::connection, n -> same, active, lastRate("d", 3000)),
                        new Side("d-jdk", "broker introspect (java.net.http)", sender(mtls), n -> same, active,
                                lastRate("d-jdk", 2000)), c);
            }
            if (o.profile && o.profileScenario.equals("d")) {
                profile("d", "introspections (java.net.http)", mtls, o.profileAt, same, same, active);
            }
        }
    }

    // ------------------------------------------------------------------ profile

    /**
     * An extra, unreported window of {@code scenario} at concurrency {@code c} with JFR recording
     * the broker: {@code warm} first (JFR off), then {@code measured}. Writes the recording and its
     * summary to the artifacts directory.
     */
    void profile(String scenario, String what, HttpClient client, int c, List<HttpRequest> warm, List<HttpRequest> measured,
                 Predicate<HttpResponse<String>> ok) throws Exception {
        Files.createDirectories(o.artifacts);
        String name = "broker-" + scenario + "-c" + c;
        Path jfr = o.artifacts.toAbsolutePath().resolve(name + ".jfr");
        Files.deleteIfExists(jfr);
        runWindow(client, c, o.warmupSeconds, warm, ok, null);
        jcmd("JFR.start", "name=ib-bench", "settings=" + o.jfrSettings);
        Window w = runWindow(client, c, o.measureSeconds, measured, ok, Cpu.snapshot(env));
        jcmd("JFR.stop", "name=ib-bench", "filename=" + jfr);
        Cell profiled = w.toCell(scenario, what + " (JFR on)", c);
        log("profiled window: %.1f req/s, p50 %.2f ms, p99 %.2f ms, broker CPU %.2f ms/req, vault CPU %.2f ms/req, other work %.2f cores",
                profiled.throughput(), profiled.p50Ms(), profiled.p99Ms(), profiled.brokerCpuMsPerReq(), profiled.vaultCpuMsPerReq(),
                profiled.otherCores());
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ps.printf(Locale.ROOT, "JFR (settings=%s) of the broker during %d %s at concurrency %d (%.1f req/s with JFR on, "
                        + "broker CPU %.2f ms/req, other work on the machine %.2f cores): %s%n%n",
                o.jfrSettings, profiled.ok(), what, c, profiled.throughput(), profiled.brokerCpuMsPerReq(), profiled.otherCores(), jfr);
        JfrSummary.print(jfr, ps, 25);
        profileSummary = buf.toString(StandardCharsets.UTF_8);
        Files.writeString(o.artifacts.resolve(name + ".profile.txt"), profileSummary);
        System.out.println(profileSummary);
        log("profile: %s (and .profile.txt next to it)", jfr);
    }

    String jcmd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(env.brokerPid())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** CPU ms the broker's JIT compiler threads have used so far. */
    double compilerMs() {
        return Cpu.threadCpu(env.brokerPid(), env.clkTck()).entrySet().stream()
                .filter(e -> e.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** " (= -Xmx128m ...)" for options that name java @argfiles (comments dropped), else "". */
    static String expandArgFiles(String options) {
        if (!options.contains("@")) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String o : options.trim().split("\\s+")) {
            if (!o.startsWith("@")) {
                out.add(o);
                continue;
            }
            try {
                Files.readAllLines(Path.of(o.substring(1))).stream().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
            } catch (IOException e) {
                out.add(o + " (unreadable)");
            }
        }
        String arenas = System.getenv("MALLOC_ARENA_MAX");
        return " (= `" + String.join(" ", out) + "`" + (arenas == null ? "" : ", with MALLOC_ARENA_MAX=" + arenas) + ")";
    }

    /** The broker's live heap: a full GC through jcmd, then the heap's "used" (after VmRSS was read). */
    String liveHeapAfterFullGc() {
        try {
            jcmd("GC.run");
            String info = jcmd("GC.heap_info");
            // One line per generation (Serial, Parallel: young and old) or one for the whole heap (G1).
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            long total = 0;
            long used = 0;
            while (m.find()) {
                total += Long.parseLong(m.group(1));
                used += Long.parseLong(m.group(2));
            }
            return total == 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB used of %.0f MiB committed", used / 1024.0, total / 1024.0);
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    /**
     * The broker's committed memory by JVM area (Native Memory Tracking), when the broker runs with
     * -XX:NativeMemoryTracking=summary; else null. E.g. "Java Heap 96, Class 61, Code 27, ...".
     */
    String nativeMemory() {
        try {
            String out = jcmd("VM.native_memory", "summary", "scale=KB");
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("-\\s+([A-Za-z][A-Za-z ]*?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(out);
            List<String> parts = new ArrayList<>();
            long total = 0;
            while (m.find()) {
                long kib = Long.parseLong(m.group(2));
                total += kib;
                if (kib >= 1024) {
                    parts.add(String.format(Locale.ROOT, "%s %.0f", m.group(1).trim(), kib / 1024.0));
                }
            }
            return parts.isEmpty() ? null : String.format(Locale.ROOT, "%.0f MiB committed: %s (MiB)", total / 1024.0, String.join(", ", parts));
        } catch (Exception e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ the closed-loop runner

    record Window(long ok, long errors, double seconds, long[] latenciesNanos, Cpu cpu, Map<String, Double> brokerThreads,
                  String note) {
        double throughput() {
            return seconds > 0 ? ok / seconds : 0;
        }

        /** The broker's busiest thread groups in ms per request, e.g. "io-executor-thread 2.10, C# CompilerThre 0.40". */
        static String threadSummary(Map<String, Double> threads, long requests) {
            if (threads == null) {
                return "";
            }
            double total = threads.values().stream().mapToDouble(Double::doubleValue).sum();
            if (total < 1) {
                return "";
            }
            return threads.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / requests))
                    .collect(Collectors.joining(", "));
        }

        /** The windows of one cell's rounds as one: requests, time, CPU and latencies added up. */
        static Window merge(List<Window> ws) {
            if (ws.size() == 1) {
                return ws.get(0);
            }
            long[] all = ws.stream().flatMapToLong(w -> Arrays.stream(w.latenciesNanos())).sorted().toArray();
            Cpu cpu = ws.stream().map(Window::cpu).reduce(null, (a, b) -> a == null ? b : b == null ? a : a.plus(b));
            Map<String, Double> threads = new LinkedHashMap<>();
            ws.forEach(w -> {
                if (w.brokerThreads() != null) {
                    w.brokerThreads().forEach((k, v) -> threads.merge(k, v, Double::sum));
                }
            });
            String note = ws.stream().map(Window::note).filter(n -> !n.isEmpty()).distinct().collect(Collectors.joining("; "));
            return new Window(ws.stream().mapToLong(Window::ok).sum(), ws.stream().mapToLong(Window::errors).sum(),
                    ws.stream().mapToDouble(Window::seconds).sum(), all, cpu, threads, note);
        }

        Cell toCell(String scenario, String target, int c) {
            return toCell(scenario, target, c, new double[]{throughput()});
        }

        Cell toCell(String scenario, String target, int c, double[] roundRates) {
            long[] l = latenciesNanos;
            double p50 = l.length == 0 ? Double.NaN : l[(int) Math.min(l.length - 1, Math.ceil(0.50 * l.length) - 1)] / 1e6;
            double p99 = l.length == 0 ? Double.NaN : l[(int) Math.min(l.length - 1, Math.ceil(0.99 * l.length) - 1)] / 1e6;
            long n = Math.max(1, ok + errors);
            return new Cell(scenario, target, c, ok, errors, seconds, throughput(), p50, p99,
                    cpu == null ? Double.NaN : cpu.brokerMs / n, cpu == null || cpu.vaultMs < 0 ? Double.NaN : cpu.vaultMs / n,
                    cpu == null ? Double.NaN : cpu.selfMs / n, cpu == null ? Double.NaN : cpu.otherMs() / 1000 / seconds,
                    threadSummary(brokerThreads, n), note, roundRates);
        }
    }

    /**
     * {@code c} threads, each sending the next prepared request as soon as its previous one answered,
     * until {@code seconds} have passed or the requests run out. Every request started in the window
     * counts; the window's length is from its start to the last answer. Latency: send to full body.
     */
    Window runWindow(HttpClient client, int c, double seconds, List<HttpRequest> requests,
                     Predicate<HttpResponse<String>> ok, Cpu before) {
        return runWindow(() -> r -> client.send(r, HttpResponse.BodyHandlers.ofString()), c, seconds, requests, ok, before);
    }

    /** Sends one request and returns its complete answer; one per worker thread, so it need not be thread-safe. */
    interface Sender {
        HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException;
    }

    Window runWindow(java.util.function.Supplier<Sender> senders, int c, double seconds, List<HttpRequest> requests,
                     Predicate<HttpResponse<String>> ok, Cpu before) {
        AtomicInteger next = new AtomicInteger();
        long[][] lat = new long[c][];
        int[] counts = new int[c];
        long[] errors = new long[c];
        long[] lastDone = new long[c];
        List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ready = new CountDownLatch(c);
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1];
        Thread[] threads = new Thread[c];
        long budget = (long) (seconds * 1e9);
        for (int w = 0; w < c; w++) {
            int id = w;
            lat[id] = new long[1024];
            Sender sender = senders.get();
            threads[w] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = start[0] + budget;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 - end >= 0) {
                        break;
                    }
                    int i = next.getAndIncrement();
                    if (i >= requests.size()) {
                        break;
                    }
                    boolean good;
                    String err = null;
                    try {
                        HttpResponse<String> r = sender.send(requests.get(i));
                        good = ok.test(r);
                        if (!good) {
                            err = r.statusCode() + " " + abbreviate(r.body());
                        }
                    } catch (IOException e) {
                        good = false;
                        err = e.toString();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long t1 = System.nanoTime();
                    lastDone[id] = t1;
                    if (good) {
                        if (counts[id] == lat[id].length) {
                            lat[id] = Arrays.copyOf(lat[id], lat[id].length * 2);
                        }
                        lat[id][counts[id]++] = t1 - t0;
                    } else {
                        errors[id]++;
                        if (errorSamples.size() < 3) {
                            errorSamples.add(err);
                        }
                    }
                }
            }, "bench-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
        try {
            ready.await();
            Cpu cpu0 = before == null ? null : Cpu.snapshot(env);
            Map<String, Double> threads0 = before == null ? null : Cpu.threadCpu(env.brokerPid(), env.clkTck());
            start[0] = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis((long) seconds + 120));
                if (t.isAlive()) {
                    throw new IllegalStateException("a worker did not finish within the window plus 120 s");
                }
            }
            Cpu used = cpu0 == null ? null : Cpu.snapshot(env).minus(cpu0);
            Map<String, Double> brokerThreads = threads0 == null ? new LinkedHashMap<>()
                    : Cpu.groupsBetween(threads0, Cpu.threadCpu(env.brokerPid(), env.clkTck()));
            long last = Arrays.stream(lastDone).max().orElse(start[0]);
            double secs = Math.max(1e-9, (last - start[0]) / 1e9);
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int k = 0;
            for (int w = 0; w < c; w++) {
                System.arraycopy(lat[w], 0, all, k, counts[w]);
                k += counts[w];
            }
            Arrays.sort(all);
            long errs = Arrays.stream(errors).sum();
            String note = "";
            if (next.get() >= requests.size() && secs < seconds * 0.98) {
                note = String.format(Locale.ROOT, "prepared requests ran out after %.1f s", secs);
            }
            if (!errorSamples.isEmpty()) {
                log("   errors (%d), e.g.: %s", errs, String.join(" | ", errorSamples));
            }
            return new Window(total, errs, secs, all, used, brokerThreads, note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ CPU and memory from /proc

    /** CPU time (ms) used by the broker, Vault, this load generator, and the whole machine. */
    static final class Cpu {
        final double brokerMs;
        final double vaultMs;
        final double selfMs;
        final double machineMs;

        Cpu(double brokerMs, double vaultMs, double selfMs, double machineMs) {
            this.brokerMs = brokerMs;
            this.vaultMs = vaultMs;
            this.selfMs = selfMs;
            this.machineMs = machineMs;
        }

        static Cpu snapshot(Env env) {
            return new Cpu(cpuMs(env.brokerPid(), env.clkTck()), env.vaultPid() > 0 ? cpuMs(env.vaultPid(), env.clkTck()) : -1,
                    cpuMs(ProcessHandle.current().pid(), env.clkTck()), machineBusyMs(env.clkTck()));
        }

        Cpu plus(Cpu o) {
            return new Cpu(brokerMs + o.brokerMs, vaultMs < 0 ? -1 : vaultMs + o.vaultMs, selfMs + o.selfMs, machineMs + o.machineMs);
        }

        Cpu minus(Cpu o) {
            return new Cpu(brokerMs - o.brokerMs, vaultMs < 0 ? -1 : vaultMs - o.vaultMs, selfMs - o.selfMs, machineMs - o.machineMs);
        }

        /** CPU the rest of the machine used (other engineers' builds, the OS): what makes a window noisy. */
        double otherMs() {
            return Math.max(0, machineMs - brokerMs - Math.max(0, vaultMs) - selfMs);
        }

        static double cpuMs(long pid, long clkTck) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields after "pid (comm) ": state=0 ... utime=11 stime=12 (stat fields 14 and 15)
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / clkTck;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        /** CPU ms per thread group of a process (/proc/PID/task/TID: comm with digits folded, e.g. "C# CompilerThre"). */
        /**
         * CPU ms of each live thread, keyed "tid group" where the group is the thread's name with
         * digits as '#'. Per thread, because threads come and go (idle pool threads, the JIT's dynamic
         * compiler threads): a group's total can shrink between two readings.
         */
        static Map<String, Double> threadCpu(long pid, long clkTck) {
            Map<String, Double> out = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.put(t.getFileName() + " " + comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / clkTck);
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended
                    }
                }
            } catch (IOException e) {
                // no such process
            }
            return out;
        }

        /** CPU ms each thread group used between two {@link #threadCpu} readings (threads that ended in between are lost). */
        static Map<String, Double> groupsBetween(Map<String, Double> before, Map<String, Double> after) {
            Map<String, Double> out = new LinkedHashMap<>();
            after.forEach((k, v) -> out.merge(k.substring(k.indexOf(' ') + 1), v - before.getOrDefault(k, 0.0), Double::sum));
            return out;
        }

        /** Busy time of all cores: /proc/stat "cpu" user + nice + system + irq + softirq + steal. */
        static double machineBusyMs(long clkTck) {
            String[] f = read("/proc/stat").split("\n")[0].trim().split("\\s+");
            try {
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
                return busy * 1000.0 / clkTck;
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
    }

    record Memory(long rssKiB, long hwmKiB) {
        static Memory of(long pid) {
            try {
                Map<String, Long> m = new HashMap<>();
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                        m.put(line.substring(0, 5), Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
                return new Memory(m.getOrDefault("VmRSS", -1L), m.getOrDefault("VmHWM", -1L));
            } catch (IOException e) {
                return new Memory(-1, -1);
            }
        }

        String mib(long kib) {
            return kib < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
        }
    }

    // ------------------------------------------------------------------ reporting

    String table(Memory mem, Memory vaultMem) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-4s %-24s %5s %10s %9s %9s %7s %8s %11s %10s %12s %6s%n", "", "scenario", "conc",
                "req/s", "p50 ms", "p99 ms", "errors", "ok", "broker CPU", "vault CPU", "loadgen CPU", "other"));
        b.append(String.format(Locale.ROOT, "%-4s %-24s %5s %10s %9s %9s %7s %8s %11s %10s %12s %6s%n", "", "", "", "", "", "", "", "",
                "ms/req", "ms/req", "ms/req", "cores"));
        for (Cell c : cells) {
            b.append(String.format(Locale.ROOT, "%-4s %-24s %5d %10.1f %9.2f %9.2f %7d %8d %11s %10s %12s %6s%s%n", c.scenario(),
                    c.target(), c.concurrency(), c.throughput(), c.p50Ms(), c.p99Ms(), c.errors(), c.ok(),
                    num(c.brokerCpuMsPerReq()), num(c.vaultCpuMsPerReq()), num(c.loadgenCpuMsPerReq()), num(c.otherCores()),
                    c.note().isEmpty() ? "" : "  " + c.note()));
        }
        b.append(System.lineSeparator());
        for (String[] r : ratios()) {
            b.append(String.format(Locale.ROOT, "%-34s c=%-3s throughput %s  p50 %s  p99 %s%s%n", r[0], r[1], r[2], r[3], r[4],
                    r[5].isEmpty() ? "" : "   " + r[5]));
        }
        for (Skipped s : skipped) {
            b.append(String.format("(%s) skipped: %s%n", s.scenario(), s.reason()));
        }
        b.append(String.format(Locale.ROOT, "(e) broker resident memory at the end: VmRSS %s (peak VmHWM %s)%s%n", mem.mib(mem.rssKiB()),
                mem.mib(mem.hwmKiB()), vaultMem == null ? "" : "; Vault VmRSS " + vaultMem.mib(vaultMem.rssKiB())));
        b.append("    broker heap after a full GC (read after VmRSS): ").append(liveHeap).append(System.lineSeparator());
        if (nativeMemory != null) {
            b.append("    broker JVM areas (Native Memory Tracking, before the GC): ").append(nativeMemory).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Rows: label, concurrency, throughput ratio, p50 ratio, p99 ratio, target verdict. */
    List<String[]> ratios() {
        List<String[]> rows = new ArrayList<>();
        addRatios(rows, "a", "b", "(b)/(a) broker exchange / raw sign", 0.85, 1.5);
        addRatios(rows, "c-raw", "c", "(c) broker token / raw transit", 0.80, Double.NaN);
        return rows;
    }

    void addRatios(List<String[]> rows, String rawId, String brokerId, String label, double minThroughput, double maxP99) {
        for (int c : o.concurrency) {
            Cell raw = find(rawId, c);
            Cell br = find(brokerId, c);
            if (raw == null || br == null) {
                continue;
            }
            double t = br.throughput() / raw.throughput();
            double p50 = br.p50Ms() / raw.p50Ms();
            double p99 = br.p99Ms() / raw.p99Ms();
            String verdict = "";
            if (c == 32) {
                boolean tOk = t >= minThroughput;
                boolean pOk = Double.isNaN(maxP99) || p99 <= maxP99;
                verdict = "target: throughput >= " + minThroughput + (Double.isNaN(maxP99) ? "" : ", p99 <= " + maxP99) + " -> "
                        + (tOk && pOk ? "met" : "NOT met");
            }
            rows.add(new String[]{label, Integer.toString(c), fmt2(t), fmt2(p50), fmt2(p99), verdict});
        }
    }

    /** The issue's four targets against this run: what was asked, what was measured, and whether it holds. */
    List<String[]> targets(Memory mem) {
        List<String[]> rows = new ArrayList<>();
        Cell a = find("a", 32);
        Cell b = find("b", 32);
        if (a != null && b != null) {
            double t = b.throughput() / a.throughput();
            double p99 = b.p99Ms() / a.p99Ms();
            rows.add(new String[]{"enrollment vs raw sign, concurrency 32", "throughput >= 0.85 x, p99 <= 1.5 x",
                    "throughput " + fmt2(t) + " x, p99 " + fmt2(p99) + " x", t >= 0.85 && p99 <= 1.5 ? "met" : "NOT met"});
        }
        Cell cr = find("c-raw", 32);
        Cell c = find("c", 32);
        if (cr != null && c != null) {
            double t = c.throughput() / cr.throughput();
            rows.add(new String[]{"token issuance vs raw transit sign, concurrency 32", "throughput >= 0.8 x",
                    "throughput " + fmt2(t) + " x", t >= 0.8 ? "met" : "NOT met"});
        }
        cells.stream().filter(x -> x.scenario().equals("d")).max(java.util.Comparator.comparingDouble(Cell::throughput))
                .ifPresent(d -> rows.add(new String[]{"introspection", ">= 10,000 req/s, no Vault call per request",
                        String.format(Locale.ROOT, "%.0f req/s (concurrency %d), Vault CPU %s ms/req", d.throughput(), d.concurrency(),
                                num(d.vaultCpuMsPerReq())), d.throughput() >= 10_000 ? "met" : "NOT met"}));
        rows.add(new String[]{"broker resident memory after the run", "< 300 MiB", mem.mib(mem.rssKiB()),
                mem.rssKiB() < 300 * 1024 ? "met" : "NOT met"});
        return rows;
    }

    /**
     * Why the enrollment ratio is what it is, from this run's own CPU figures: at concurrency 32 both
     * (a) and (b) keep the two cores busy, so each one's throughput is the cores' time divided by the
     * CPU all processes spend per request, and 0.85 x leaves the broker what remains of (a)'s cost.
     */
    String enrollmentBudget() {
        Cell a = find("a", 32);
        Cell b = find("b", 32);
        if (a == null || b == null || Double.isNaN(a.vaultCpuMsPerReq()) || Double.isNaN(b.vaultCpuMsPerReq())) {
            return "";
        }
        double rawCost = a.vaultCpuMsPerReq() + a.loadgenCpuMsPerReq() + a.brokerCpuMsPerReq();
        double busy = a.throughput() * rawCost / 1000;
        double budget = rawCost / 0.85 - b.vaultCpuMsPerReq() - b.loadgenCpuMsPerReq();
        return String.format(Locale.ROOT, "%nThe enrollment ratio in CPU terms (concurrency 32, this run): a raw sign costs %.2f ms of CPU "
                        + "(Vault %.2f, load generator %.2f) and kept %.1f of the %d cores busy; an exchange costs Vault %.2f ms and the load "
                        + "generator %.2f ms. For 0.85 x on these shared cores the broker would have to do all its own work (TLS, parsing, "
                        + "the CSR's proof-of-possession check, the database transaction with its audit event, the Vault call's client side) "
                        + "in %.2f ms per exchange; it spends %.2f ms. Where that goes: `docs/profiles/broker-exchange-c32.txt` "
                        + "(`scripts/bench.sh --profile`).%n",
                rawCost, a.vaultCpuMsPerReq(), a.loadgenCpuMsPerReq(), busy, Runtime.getRuntime().availableProcessors(),
                b.vaultCpuMsPerReq(), b.loadgenCpuMsPerReq(), budget, b.brokerCpuMsPerReq());
    }

    /**
     * Throughput of each cell against the report this run replaces, when that one was written on
     * the same machine (same cores, memory, JDK and Vault) with the same cell list: the issue asks
     * repeated runs to agree within 15 %.
     */
    String repeatability() {
        if (previous == null || o.quick) {
            return "";
        }
        Map<String, Double> before = new LinkedHashMap<>();
        // Only the previous report's own Results table: its comparison table has rows of the same shape.
        int from = previous.indexOf("## Results");
        int to = from < 0 ? -1 : previous.indexOf("\n\n", previous.indexOf("|---", from));
        String results = from < 0 || to < 0 ? "" : previous.substring(from, to);
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| (\\([a-z-]+\\) [^|]*?) \\| (\\d+) \\| ([0-9.]+) \\|")
                .matcher(results);
        while (row.find()) {
            before.put(row.group(1).replaceAll(" \\(prepared requests ran out.*\\)$", "") + " | " + row.group(2), Double.parseDouble(row.group(3)));
        }
        java.util.regex.Matcher when = java.util.regex.Pattern.compile("Generated (\\S+) by").matcher(previous);
        String machine = Runtime.getRuntime().availableProcessors() + " | " + memTotal() + " | " + env.javaVersion() + " | " + env.vaultVersion();
        boolean sameMachine = previous.contains("| cores (nproc) | " + Runtime.getRuntime().availableProcessors() + " ")
                && previous.contains("| memory | " + memTotal() + " |") && previous.contains(env.javaVersion())
                && previous.contains(env.vaultVersion());
        StringBuilder m = new StringBuilder("## Compared with the previous run\n\n");
        if (!sameMachine) {
            return m.append("The report this run replaced came from another machine or set-up (").append(machine)
                    .append(" differs); no comparison.\n\n").toString();
        }
        m.append("Throughput of each cell in this run against the report it replaced (generated ")
                .append(when.find() ? when.group(1) : "?").append(", same machine and versions):\n\n")
                .append("| cell | concurrency | previous req/s | this run req/s | difference |\n|---|---:|---:|---:|---:|\n");
        double worst = 0;
        int compared = 0;
        for (Cell c : cells) {
            String key = "(" + c.scenario() + ") " + c.target() + " | " + c.concurrency();
            Double was = before.get(key);
            if (was == null || was <= 0) {
                continue;
            }
            double diff = (c.throughput() - was) / was;
            worst = Math.max(worst, Math.abs(diff));
            compared++;
            m.append(String.format(Locale.ROOT, "| (%s) %s | %d | %.1f | %.1f | %+.0f %% |%n", c.scenario(), c.target(), c.concurrency(),
                    was, c.throughput(), 100 * diff));
        }
        if (compared == 0) {
            return m.append("No cell of this run was in the previous report.\n\n").toString();
        }
        m.append(String.format(Locale.ROOT, "%nLargest difference: %.0f %% over %d cells (the issue asks for at most 15 %%).%n%n",
                100 * worst, compared));
        double speedBefore = machineCostIndex(results);
        double speedNow = cells.stream().filter(Bench::isRaw).mapToDouble(Cell::loadgenCpuMsPerReq).filter(v -> !Double.isNaN(v))
                .average().orElse(Double.NaN);
        if (!Double.isNaN(speedBefore) && !Double.isNaN(speedNow)) {
            m.append(String.format(Locale.ROOT, "How fast the machine itself was: the load generator's own CPU per raw Vault request "
                    + "(the same code doing the same work, averaged over the raw cells) was %.3f ms in the previous run and %.3f ms "
                    + "in this one (%+.0f %%); Vault's and the broker's costs move with it.%n%n", speedBefore, speedNow,
                    100 * (speedNow - speedBefore) / speedBefore));
        }
        return m.append(ratioRepeatability()).toString();
    }

    /** The mean load-generator CPU ms per request over the raw cells of a Results table, or NaN. */
    static double machineCostIndex(String results) {
        java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                "(?m)^\\| \\((a|c-raw)\\) [^|]*\\|(?: [^|]* \\|){8} ([0-9.]+) \\|").matcher(results);
        double sum = 0;
        int n = 0;
        while (row.find()) {
            sum += Double.parseDouble(row.group(2));
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The broker / raw throughput ratios against the previous report's: with both sides measured in
     * alternation, a machine that is faster or slower as a whole moves both and leaves the ratio.
     */
    String ratioRepeatability() {
        int from = previous.indexOf("### Broker / raw ratios");
        int to = from < 0 ? -1 : previous.indexOf("\n\n", previous.indexOf("|---", from));
        if (to < 0) {
            return "";
        }
        Map<String, Double> before = new LinkedHashMap<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| ([^|]+?) \\| (\\d+) \\| ([0-9.]+) \\|")
                .matcher(previous.substring(from, to));
        while (row.find()) {
            before.put(row.group(1) + " | " + row.group(2), Double.parseDouble(row.group(3)));
        }
        StringBuilder m = new StringBuilder("Broker / raw throughput ratios against the same report's:\n\n")
                .append("| comparison | concurrency | previous | this run | difference |\n|---|---:|---:|---:|---:|\n");
        double worst = 0;
        int compared = 0;
        for (String[] r : ratios()) {
            Double was = before.get(r[0] + " | " + r[1]);
            if (was == null || was <= 0) {
                continue;
            }
            double now = Double.parseDouble(r[2]);
            double diff = (now - was) / was;
            worst = Math.max(worst, Math.abs(diff));
            compared++;
            m.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %+.0f %% |%n", r[0], r[1], was, now, 100 * diff));
        }
        return compared == 0 ? "" : m.append(String.format(Locale.ROOT, "%nLargest difference: %.0f %% over %d ratios.%n%n",
                100 * worst, compared)).toString();
    }

    Cell find(String scenario, int c) {
        return cells.stream().filter(x -> x.scenario().equals(scenario) && x.concurrency() == c).findFirst().orElse(null);
    }

    String markdown(Memory mem, Memory vaultMem, String loadAtEnd, double minutes) {
        StringBuilder m = new StringBuilder();
        m.append("# Performance: the broker against raw Vault\n\n");
        m.append("<!-- Generated by scripts/bench.sh (scripts/bench/Bench.java). Do not edit: run it again. -->\n\n");
        if (o.quick) {
            m.append("> **Quick run** (a few seconds per cell): a smoke test of the harness, not a benchmark result.\n\n");
        }
        m.append("Generated ").append(startedAt).append(" by `").append(env.command()).append("` in ")
                .append(String.format(Locale.ROOT, "%.1f", minutes)).append(" min. Issue 7 describes the harness and the targets.\n\n");

        m.append("## Targets\n\n| target | asked | this run | |\n|---|---|---|---|\n");
        for (String[] r : targets(mem)) {
            m.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        m.append(enrollmentBudget());
        m.append("\n## Results\n\n");
        m.append("| scenario | concurrency | req/s | p50 ms | p99 ms | errors | requests | broker CPU ms/req | Vault CPU ms/req | load-generator CPU ms/req | other CPU (cores) | req/s per round (spread) |\n");
        m.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : cells) {
            m.append(String.format(Locale.ROOT, "| (%s) %s | %d | %.1f | %.2f | %.2f | %d | %d | %s | %s | %s | %s | %s |%n",
                    c.scenario(), c.target() + (c.note().isEmpty() ? "" : " (" + c.note() + ")"), c.concurrency(),
                    c.throughput(), c.p50Ms(), c.p99Ms(), c.errors(), c.ok(), num(c.brokerCpuMsPerReq()),
                    num(c.vaultCpuMsPerReq()), num(c.loadgenCpuMsPerReq()), num(c.otherCores()), roundsOf(c)));
        }
        m.append("\nCPU columns: CPU time of each process during the measured window divided by its requests ")
                .append("(from `/proc/<pid>/stat`); on raw Vault rows the broker is idle. Other CPU: cores' worth of CPU the ")
                .append("rest of the machine used during the window (`/proc/stat` minus these three processes); a row with ")
                .append("more than a few tenths shared its cores with other work and is less trustworthy.\n\n");

        m.append("Where the broker's CPU went, ms per request by thread (from `/proc/<pid>/task`; `io-executor-thread` ")
                .append("runs the request handling, `default-eventLo` is Netty's TLS and HTTP, `C# CompilerThre` the JIT, `GC Thread`/`G# ...` the collector):\n\n");
        for (Cell c : cells) {
            if (!c.brokerThreads().isEmpty() && !isRaw(c)) {
                m.append("- (").append(c.scenario()).append(") concurrency ").append(c.concurrency()).append(": ")
                        .append(c.brokerThreads()).append("\n");
            }
        }
        m.append("\n");
        m.append("### Broker / raw ratios\n\n");
        m.append("| comparison | concurrency | throughput | p50 | p99 | target at concurrency 32 |\n|---|---:|---:|---:|---:|---|\n");
        for (String[] r : ratios()) {
            m.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" | ").append(r[3])
                    .append(" | ").append(r[4]).append(" | ").append(r[5]).append(" |\n");
        }
        m.append("\n### Resident memory (e)\n\n");
        m.append("Broker at the end of the run: VmRSS **").append(mem.mib(mem.rssKiB())).append("**, peak VmHWM ")
                .append(mem.mib(mem.hwmKiB())).append(" (target: under 300 MiB). Broker JVM options: ")
                .append(env.brokerJavaOpts().isBlank() ? "none (bare `java -jar`)" : "`" + env.brokerJavaOpts() + "`" + expandArgFiles(env.brokerJavaOpts()))
                .append(". Its heap after a full GC, forced with jcmd once VmRSS was read: ").append(liveHeap)
                .append(" (the live set; the rest of the resident memory is heap the JVM sized for itself, code and metaspace)");
        if (nativeMemory != null) {
            m.append(". Native Memory Tracking, read with VmRSS: ").append(nativeMemory);
        }
        if (vaultMem != null) {
            m.append(". Vault dev server VmRSS: ").append(vaultMem.mib(vaultMem.rssKiB()));
        }
        m.append(".\n\n");

        m.append("### Not measured yet\n\n");
        if (skipped.isEmpty()) {
            m.append("Nothing: every scenario ran.\n\n");
        } else {
            for (Skipped s : skipped) {
                m.append("- (").append(s.scenario()).append(") skipped: ").append(s.reason()).append(".\n");
            }
            m.append("\n");
        }
        for (String n : notes) {
            m.append("- ").append(n).append("\n");
        }
        if (!notes.isEmpty()) {
            m.append("\n");
        }

        m.append(repeatability());
        if (profileSummary != null) {
            // The recording's own summary, as printed: where the broker's CPU went in the profiled window.
            m.append("## Profile (--profile)\n\nJFR was set up with the broker's JVM and recorded only this extra window ")
                    .append("after the measured cells; the .jfr file stays in ").append(o.artifacts).append(". Java threads only: ")
                    .append("the Serial collector runs on `VM Thread`, whose CPU shows in the per-thread lines above.\n\n```\n")
                    .append(profileSummary.lines().limit(90).map(l -> l.replace(System.getProperty("user.dir") + "/", ""))
                            .collect(Collectors.joining("\n"))).append("\n```\n\n");
        }
        m.append("## Machine\n\n| | |\n|---|---|\n");
        m.append("| cores (nproc) | ").append(Runtime.getRuntime().availableProcessors()).append(" (").append(cpuModel()).append(") |\n");
        m.append("| memory | ").append(memTotal()).append(" |\n");
        m.append("| kernel | ").append(read("/proc/sys/kernel/osrelease")).append(" |\n");
        m.append("| JDK (`java -version`) | ").append(env.javaVersion()).append(" |\n");
        m.append("| Vault | ").append(env.vaultVersion()).append(" (dev server, in-memory storage, HTTP on loopback) |\n");
        m.append("| load average (1/5/15 min) | at start ").append(loadAtStart).append(", at end ").append(loadAtEnd).append(" |\n");
        m.append("\nBroker, Vault and the load generator share these cores; other work on the machine shows in the load average.\n\n");

        m.append("## Parameters\n\n");
        m.append("- CSRs: ").append(keyLabel()).append(", ").append(o.csrPool)
                .append(" distinct ones generated before any measurement and cycled; (a) and (b) send the same CSRs.\n");
        m.append("- Per cell: warm-up ").append(fmt0(o.warmupSeconds)).append(" s at the cell's concurrency (a broker cell ")
                .append("repeats it, up to four times, while the broker's JIT compiler threads use more than a tenth of a core), then ")
                .append(fmt0(o.measureSeconds)).append(" s measured in ").append(o.rounds).append(o.rounds == 1 ? " window" : " windows")
                .append(" (at most ").append(o.maxRequests).append(" requests each), alternating with the cell it is compared with ")
                .append("((a) with (b), (c-raw) with (c), (d) with (d-jdk)), so that both sides of a ratio share the machine's ")
                .append("good and bad moments; the cell's figures are over all its windows, and the last column lists each window's ")
                .append("rate and their spread ((max - min) / mean); concurrency ")
                .append(Arrays.stream(o.concurrency).mapToObj(Integer::toString).collect(Collectors.joining(", ")))
                .append(". Before the first cell, a global warm-up: ").append(warmupNote).append(".\n");
        m.append("- (a) `POST /v1/pki-tenants/").append(env.tenant()).append("/sign/agent` with the body the broker sends ")
                .append("(`csr`, `uri_sans` = a fresh SPIFFE ID, `format=pem`, `exclude_cn_from_sans=true`), with a token of the ")
                .append("broker's own AppRole (policy `identity-broker`), on the same role, so with the role's `no_store` as the broker uses it.\n");
        m.append("- (b) `POST /api/v1/agent-enrollment/exchange` over HTTPS (TLS 1.3 to the broker; the broker calls Vault over HTTP), ")
                .append("one single-use enrollment token per exchange, minted through the admin API before each window. ")
                .append("The broker's database: ").append(env.database().startsWith("H2")
                        ? "H2 (file, PostgreSQL mode) in a temporary directory" : env.database())
                .append("; it logs in to Vault with its AppRole.\n");
        m.append("- (d) introspection: a minimal HTTP/1.1 client (one keep-alive JDK `SSLSocket` per worker thread, the same ")
                .append("pre-serialised request, the answer read to its Content-Length), so that the load generator takes as little ")
                .append("of the shared cores as it can; (d-jdk) sends the same requests through `java.net.http` for comparison. ")
                .append("The caller authenticates with a Vault token (`X-Vault-Token`) that may read `identity-broker/introspect`.\n");
        m.append("- Client (every other scenario): `java.net.http.HttpClient`, HTTP/1.1 with keep-alive, one client per target, built the same way; ")
                .append("closed loop: each of N threads sends its next request when the previous one has answered. ")
                .append("Throughput = requests started in the window / time from the window's start to the last answer; ")
                .append("latency = send to complete body; a request counts as an error unless it has the expected status and body.\n");
        m.append("- The broker: ").append(env.brokerJar().isEmpty() ? "`broker/target/broker.jar` built from this checkout"
                : "`" + env.brokerJar() + "` (BENCH_BROKER_JAR)").append(".\n\n");

        m.append("## How to run\n\n```sh\n");
        m.append("scripts/bench.sh              # full run (<= 10 min): builds the jar if needed, writes docs/performance.md\n");
        m.append("scripts/bench.sh --quick      # a few seconds per cell, writes target/bench/performance-quick.md\n");
        m.append("scripts/bench.sh --rsa        # RSA-2048 CSRs instead of EC P-256\n");
        m.append("scripts/bench.sh --profile    # plus a JFR recording of the broker during exchanges at concurrency 32\n");
        m.append("scripts/bench.sh --help       # every option\n```\n\n");
        m.append("It starts its own dev OpenBao/Vault on a free loopback port (scripts/vault-dev.sh with its own state directory) ")
                .append("and the broker on another, creates tenant `").append(env.tenant())
                .append("` through the API, measures, and stops both. Run it on an otherwise idle machine: ")
                .append("check `uptime` first, and compare runs only from the same machine.\n");
        return m.toString();
    }

    // ------------------------------------------------------------------ helpers

    String keyLabel() {
        return o.key.equals("rsa") ? "RSA-2048" : "EC P-256";
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

    // ------------------------------------------------------------------ JFR summary

    /** Where a JFR recording says the JVM's time went: CPU samples, lock and park waits, GC. */
    static final class JfrSummary {
        /** Library of a stack: the first frame (from the top) in one of these packages decides. */
        static final String[][] LIBRARIES = {
                {"sun.security.ssl.", "JDK TLS"}, {"javax.net.ssl.", "JDK TLS"},
                {"sun.security.", "JDK crypto (digests, signatures, certificates)"}, {"com.sun.crypto.", "JDK crypto (digests, signatures, certificates)"},
                {"javax.crypto.", "JDK crypto (digests, signatures, certificates)"}, {"java.security.", "JDK crypto (digests, signatures, certificates)"},
                {"org.bouncycastle.", "BouncyCastle"}, {"org.h2.", "H2 database"}, {"com.zaxxer.hikari.", "Hikari pool"},
                {"org.flywaydb.", "Flyway"}, {"io.micronaut.data.", "Micronaut Data / transactions"},
                {"io.micronaut.transaction.", "Micronaut Data / transactions"}, {"com.fasterxml.jackson.", "Jackson JSON"},
                {"io.github.jopenlibs.vault.", "vault-java-driver"}, {"jdk.internal.net.http.", "JDK HttpClient (broker -> Vault)"},
                {"java.net.http.", "JDK HttpClient (broker -> Vault)"}, {"io.netty.", "Netty"}, {"reactor.", "Reactor"},
                {"io.micronaut.security.", "Micronaut security"}, {"io.micronaut.", "Micronaut (HTTP, DI, conversion)"},
                {"ch.qos.logback.", "Logback"}, {"org.slf4j.", "Logback"}, {"io.identitybroker.", "broker code"},
                {"java.util.regex.", "JDK regex"}, {"java.util.zip.", "JDK zip"}, {"sun.nio.", "JDK NIO"}, {"java.nio.", "JDK NIO"},
        };

        static void print(Path file, PrintStream out, int top) throws IOException {
            long samples = 0;
            Map<String, Long> topFrame = new HashMap<>();
            Map<String, Long> library = new HashMap<>();
            Map<String, Long> brokerInclusive = new HashMap<>();
            Map<String, Long> threads = new HashMap<>();
            Map<String, Long> monitorNs = new HashMap<>();
            Map<String, Long> parkNs = new HashMap<>();
            Map<String, Long> allocByFrame = new HashMap<>();
            long gcCount = 0;
            long gcNs = 0;
            double cpuJvm = 0;
            double cpuMachine = 0;
            long cpuEvents = 0;
            long heapUsedMax = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        samples++;
                        List<RecordedFrame> frames = frames(e.getStackTrace());
                        if (!frames.isEmpty()) {
                            add(topFrame, name(frames.get(0)), 1);
                        }
                        add(library, libraryOf(frames), 1);
                        Set<String> seen = new HashSet<>();
                        for (RecordedFrame f : frames) {
                            String n = name(f);
                            if (n.startsWith("io.identitybroker.") && seen.add(n)) {
                                add(brokerInclusive, n, 1);
                            }
                        }
                        RecordedThread t = e.getThread("sampledThread");
                        add(threads, t == null ? "?" : threadGroup(t.getJavaName()), 1);
                    }
                    case "jdk.JavaMonitorEnter" -> add(monitorNs, site(e.getStackTrace()) + "  [lock " + className(e, "monitorClass") + "]",
                            e.getDuration().toNanos());
                    case "jdk.ThreadPark" -> add(parkNs, site(e.getStackTrace()), e.getDuration().toNanos());
                    case "jdk.ObjectAllocationSample" -> add(allocByFrame, site(e.getStackTrace()), e.getLong("weight"));
                    case "jdk.GarbageCollection" -> {
                        gcCount++;
                        gcNs += e.getDuration().toNanos();
                    }
                    case "jdk.CPULoad" -> {
                        cpuJvm += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                        cpuMachine += e.getFloat("machineTotal");
                        cpuEvents++;
                    }
                    case "jdk.GCHeapSummary" -> heapUsedMax = Math.max(heapUsedMax, e.getLong("heapUsed"));
                    default -> {
                    }
                }
            }
            out.printf(Locale.ROOT, "CPU samples (jdk.ExecutionSample): %d%n", samples);
            if (cpuEvents > 0) {
                out.printf(Locale.ROOT, "CPU load (jdk.CPULoad, share of all cores): this JVM %.0f %%, whole machine %.0f %%%n",
                        100 * cpuJvm / cpuEvents, 100 * cpuMachine / cpuEvents);
            }
            out.printf(Locale.ROOT, "GC: %d collections, %.0f ms in total; max heap used %.0f MiB%n%n", gcCount, gcNs / 1e6, heapUsedMax / 1048576.0);
            section(out, "CPU samples by library (first non-generic frame from the top)", library, samples, top, "%");
            section(out, "CPU samples by thread", threads, samples, 10, "%");
            section(out, "CPU samples by top frame (self time)", topFrame, samples, top, "%");
            section(out, "CPU samples by broker method (inclusive: the method or anything it calls)", brokerInclusive, samples, top, "%");
            section(out, "Blocked on monitors (jdk.JavaMonitorEnter > 10 ms), total ms by first application frame", monitorNs, -1, 10, "ms");
            section(out, "Parked (jdk.ThreadPark > 10 ms), total ms by first application frame (idle pool threads included)", parkNs, -1, 10, "ms");
            section(out, "Allocation (jdk.ObjectAllocationSample weight), MiB by first application frame", allocByFrame, -2, 10, "MiB");
        }

        static void section(PrintStream out, String title, Map<String, Long> counts, long total, int top, String unit) {
            out.println(title + ":");
            if (counts.isEmpty()) {
                out.println("  (none)");
            }
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top).forEach(en -> {
                String v = switch (unit) {
                    case "%" -> String.format(Locale.ROOT, "%5.1f %% %6d", 100.0 * en.getValue() / Math.max(1, total), en.getValue());
                    case "ms" -> String.format(Locale.ROOT, "%9.0f ms", en.getValue() / 1e6);
                    default -> String.format(Locale.ROOT, "%9.1f MiB", en.getValue() / 1048576.0);
                };
                out.println("  " + v + "  " + en.getKey());
            });
            out.println();
        }

        static List<RecordedFrame> frames(RecordedStackTrace st) {
            return st == null ? List.of() : st.getFrames().stream().filter(RecordedFrame::isJavaFrame).toList();
        }

        static String name(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName();
        }

        static String className(RecordedEvent e, String field) {
            try {
                jdk.jfr.consumer.RecordedClass c = e.getClass(field);
                return c == null ? "?" : c.getName();
            } catch (RuntimeException ex) {
                return "?";
            }
        }

        static String libraryOf(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String cls = f.getMethod().getType().getName();
                for (String[] lib : LIBRARIES) {
                    if (cls.startsWith(lib[0])) {
                        return lib[1];
                    }
                }
            }
            return "JDK (other)";
        }

        /** The first frame outside the JDK's concurrency/lang plumbing: who waited, or who allocated. */
        static String site(RecordedStackTrace st) {
            List<RecordedFrame> frames = frames(st);
            for (RecordedFrame f : frames) {
                String cls = f.getMethod().getType().getName();
                if (!(cls.startsWith("java.") || cls.startsWith("jdk.internal.misc.") || cls.startsWith("sun.misc.")
                        || cls.startsWith("jdk.internal.util."))) {
                    return name(f) + ":" + f.getLineNumber();
                }
            }
            return frames.isEmpty() ? "?" : name(frames.get(0));
        }

        static String threadGroup(String name) {
            return name == null ? "?" : name.replaceAll("\\d+", "#");
        }

        static void add(Map<String, Long> m, String k, long v) {
            m.merge(k, v, Long::sum);
        }
    }
}
