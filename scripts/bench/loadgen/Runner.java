package loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

import static loadgen.Util.loadAverage;
import static loadgen.Util.log;
import static loadgen.Util.memTotal;
import static loadgen.Util.newClient;
import static loadgen.Util.sslContext;

/**
 * Runs a bench: the global warm-up, then each concurrency's cells in alternating rounds ((a), (p)
 * and (b) together; (c) with (c-raw); (d) with (d-jdk)), the optional profile, the memory readings,
 * and hands everything to {@link Report}. The scenarios prepare requests; this class measures them.
 */
final class Runner {
    final Options o;
    final Env env;
    final HttpClient vault;
    final HttpClient broker;
    final SSLContext trustRoot;
    final List<Cell> cells = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final String startedAt = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    final String loadAtStart = loadAverage();
    final Enrollment enrollment;
    String profileSummary;
    String liveHeap = "?";
    String nativeMemory;
    String warmupNote = "";
    /** The leaf comparison of (a), (p) and (b), filled by {@link StepCa#checkEquivalentLeaves}. */
    final Map<String, Object> equivalence = new LinkedHashMap<>();
    /** step-ca's pid while (p) runs, else 0. */
    long peerPid;

    Runner(Options o, Env env) {
        this.o = o;
        this.env = env;
        this.trustRoot = sslContext(env.rootCaFile(), null);
        // The same kind of client for every target: only the address (and TLS for the broker) differ.
        this.vault = newClient(trustRoot);
        this.broker = newClient(trustRoot);
        this.enrollment = new Enrollment(this);
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        log("machine: %d cores, %s memory, load average %s", Runtime.getRuntime().availableProcessors(), memTotal(), loadAtStart);
        log("mode: %s, %s CSRs (%d distinct), warm-up %.0f s + measure %.0f s per cell, concurrency %s",
                o.quick ? "quick" : "full", keyLabel(), o.csrPool, o.warmupSeconds, o.measureSeconds, Arrays.toString(o.concurrency));
        enrollment.prepare();
        if (o.profile && o.asyncProfiler == null) {
            // bench.sh started JFR with the broker (see there); keep it set up, but record nothing until the profile.
            try {
                jcmd("JFR.stop", "name=ib-launch");
            } catch (IllegalStateException e) {
                log("no launch-time JFR recording to stop (%s); the profiled window may run slower than the cells", e.getMessage());
            }
        }
        globalWarmUp();

        StepCa stepCa = o.scenarios.contains("p") ? StepCa.start(this) : null;
        try {
            for (int c : o.concurrency) {
                List<Side> sides = new ArrayList<>();
                if (o.scenarios.contains("a")) {
                    sides.add(enrollment.rawSide());
                }
                if (stepCa != null) {
                    sides.add(stepCa.side());
                }
                if (o.scenarios.contains("b")) {
                    sides.add(enrollment.exchangeSide());
                }
                paired(c, sides);
            }
            if (stepCa != null) {
                stepCa.checkEquivalentLeaves();
            }
        } finally {
            if (stepCa != null) {
                stepCa.stop();
            }
        }
        if (o.scenarios.contains("c") || o.scenarios.contains("d")) {
            new OAuthScenarios(this).run();
        }
        if (o.profile && o.profileScenario.equals("b")) {
            int c = o.profileAt;
            double rate = rateOf("b", c, lastRate("b", 150));
            profile("b", "exchanges", sender(broker), c,
                    enrollment.exchangeRequests(enrollment.mintTokens(bounded(rate * o.warmupSeconds * 2 + 4L * c))),
                    enrollment.exchangeRequests(enrollment.mintTokens(bounded(rate * o.measureSeconds * 1.6 + 4L * c))),
                    Enrollment::exchangeOk);
        }
        Memory mem = Memory.of(env.brokerPid());
        Memory vaultMem = env.vaultPid() > 0 ? Memory.of(env.vaultPid()) : null;
        nativeMemory = nativeMemory();
        liveHeap = liveHeapAfterFullGc();
        new Report(this, mem, vaultMem, loadAverage(), (System.nanoTime() - t0) / 60e9).write();
    }

    /**
     * Not measured: connections on every side and, above all, the broker's JIT. Rounds of raw signs
     * and exchanges continue until the broker's compiler threads use less than a tenth of a core (or
     * the time budget is spent); each cell then warms up once more (see {@link #warmUp}).
     */
    private void globalWarmUp() {
        long warmStart = System.nanoTime();
        double warmBudget = o.quick ? 10 : 90;
        int round = o.quick ? 60 : 300;
        double jitCores;
        int rounds = 0;
        long exchanges = 0;
        while (true) {
            rounds++;
            double jit0 = compilerMs();
            long r0 = System.nanoTime();
            Window raw = ClosedLoop.run(env, sender(vault), 8, 120, enrollment.rawSignRequests(round), Enrollment::vaultCertOk, false, 0);
            Window ex = ClosedLoop.run(env, sender(broker), 8, 120, enrollment.exchangeRequests(enrollment.mintTokens(round)),
                    Enrollment::exchangeOk, false, 0);
            enrollment.rawRate = raw.throughput();
            enrollment.exchangeRate = ex.throughput();
            exchanges += ex.ok();
            jitCores = (compilerMs() - jit0) / ((System.nanoTime() - r0) / 1e6);
            double elapsed = (System.nanoTime() - warmStart) / 1e9;
            if (rounds >= 2 && jitCores < 0.10 || elapsed > warmBudget) {
                break;
            }
        }
        warmupNote = String.format(Locale.ROOT, "%d rounds of %d raw signs + %d exchanges at concurrency 8 (%d exchanges) in %.0f s; "
                        + "the broker's JIT compiler threads used %.2f cores in the last round%s", rounds, round, round, exchanges,
                (System.nanoTime() - warmStart) / 1e9, jitCores, jitCores < 0.10 ? "" : " (still compiling: the time budget ran out)");
        log("global warm-up: %s", warmupNote);
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

    Cell find(String scenario, int c) {
        return cells.stream().filter(x -> x.scenario().equals(scenario) && x.concurrency() == c).findFirst().orElse(null);
    }

    /** One side of a group of cells: where its requests go, how they are prepared and judged. */
    record Side(String scenario, String target, Supplier<Sender> senders, IntFunction<List<HttpRequest>> prepare,
                Predicate<HttpResponse<String>> ok, double expectedRate) {
    }

    void paired(int c, Side... sides) {
        paired(c, Arrays.asList(sides));
    }

    /**
     * The cells of one concurrency, measured in alternation. Each side warms up, then the measured
     * time is split into {@code o.rounds} rounds of every side in turn, so that all sides of a ratio
     * see the same machine: a slow minute (other work, Vault's own GC, the hypervisor) lands in all
     * instead of in one. Requests (for the broker, enrollment tokens; for step-ca, one-time tokens)
     * are prepared before each window from the previous window's rate with 60 % headroom; a window
     * that runs out of them ends early and says so.
     */
    void paired(int c, List<Side> sides) {
        double roundSeconds = o.measureSeconds / o.rounds;
        Map<Side, Double> rate = new LinkedHashMap<>();
        Map<Side, Cell.Warmup> warm = new LinkedHashMap<>();
        Map<Side, List<Window>> windows = new LinkedHashMap<>();
        for (Side side : sides) {
            Cell.Warmup w = warmUp(side, c, rate);
            warm.put(side, w);
            windows.put(side, new ArrayList<>());
        }
        for (int r = 0; r < o.rounds; r++) {
            for (Side side : sides) {
                List<HttpRequest> requests = side.prepare().apply(bounded(rate.get(side) * roundSeconds * 1.6 + 4L * c));
                Window w = ClosedLoop.run(env, side.senders(), c, roundSeconds, requests, side.ok(), true, peerOf(side));
                if (w.ok() > 0) {
                    rate.put(side, w.throughput());
                }
                windows.get(side).add(w);
            }
        }
        for (Side side : sides) {
            List<Window> ws = windows.get(side);
            Cell cell = Window.merge(ws).toCell(side.scenario(), side.target(), c,
                    ws.stream().mapToDouble(Window::throughput).toArray()).withWarmup(warm.get(side));
            cells.add(cell);
            log("%-5s %-22s c=%-3d %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  rounds %s%s", side.scenario(),
                    side.target(), c, cell.throughput(), cell.p50Ms(), cell.p99Ms(), cell.errors(), roundsOf(cell),
                    cell.note().isEmpty() ? "" : "  (" + cell.note() + ")");
            if (isBroker(cell.scenario())) {
                log("      broker CPU %.2f ms/req by thread: %s%s", cell.brokerCpuMsPerReq(), cell.brokerThreads(),
                        Double.isNaN(cell.databaseCpuMsPerReq()) ? ""
                                : String.format(Locale.ROOT, "; database server %.2f ms/req", cell.databaseCpuMsPerReq()));
            } else if (!Double.isNaN(cell.peerCpuMsPerReq())) {
                log("      step-ca CPU %.2f ms/req", cell.peerCpuMsPerReq());
            }
        }
    }

    private long peerOf(Side side) {
        return side.scenario().equals("p") ? peerPid : 0;
    }

    /**
     * Warm-up windows for one side at this concurrency. A broker side keeps warming until its CPU
     * per request has settled: two windows in a row within 10 % of each other while its JIT
     * compiler threads use less than a tenth of a core (JIT and H2's caches settle over 10-15k
     * exchanges), for at most ten warm-up lengths; other sides warm up once. Quick runs: once.
     */
    Cell.Warmup warmUp(Side side, int c, Map<Side, Double> rates) {
        double rate = side.expectedRate();
        long started = System.nanoTime();
        long requests = 0;
        double previousCpu = Double.NaN;
        double cpu = Double.NaN;
        boolean settled = false;
        while (true) {
            double jit0 = compilerMs();
            long t0 = System.nanoTime();
            Window warm = ClosedLoop.run(env, side.senders(), c, o.warmupSeconds,
                    side.prepare().apply(bounded(rate * o.warmupSeconds * 1.6 + 4L * c)), side.ok(), true, peerOf(side));
            double jitCores = (compilerMs() - jit0) / ((System.nanoTime() - t0) / 1e6);
            requests += warm.ok();
            if (warm.ok() > 0) {
                rate = warm.throughput();
            }
            cpu = warm.cpu() == null || warm.ok() == 0 ? Double.NaN : warm.cpu().brokerMs / warm.ok();
            settled = jitCores < 0.10 && !Double.isNaN(previousCpu) && Math.abs(cpu - previousCpu) <= 0.10 * previousCpu;
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (!isBroker(side.scenario()) || o.quick || settled || elapsed >= 10 * o.warmupSeconds) {
                rates.put(side, rate);
                Cell.Warmup w = isBroker(side.scenario()) ? new Cell.Warmup(requests, elapsed, settled, cpu)
                        : new Cell.Warmup(requests, elapsed, true, Double.NaN);
                if (isBroker(side.scenario())) {
                    log("      %s c=%d warm-up: %d requests in %.0f s, broker CPU %.2f ms/req%s", side.scenario(), c, requests,
                            elapsed, cpu, settled ? " (settled)" : " (not settled: the warm-up budget ran out)");
                }
                return w;
            }
            previousCpu = cpu;
        }
    }

    /** Cells whose requests the broker serves (the rest call Vault or step-ca directly; the broker idles). */
    static boolean isBroker(String scenario) {
        return scenario.equals("b") || scenario.equals("c") || scenario.startsWith("d");
    }

    /** "1201 / 1180 / 1230 (4 %)": each round's throughput and their spread. */
    static String roundsOf(Cell c) {
        String rates = Arrays.stream(c.roundRates()).mapToObj(r -> String.format(Locale.ROOT, "%.0f", r))
                .collect(Collectors.joining(" / "));
        return Double.isNaN(c.spread()) ? rates : String.format(Locale.ROOT, "%s (%.0f %%)", rates, 100 * c.spread());
    }

    /** java.net.http as a {@link Sender}: the client is shared, senders are free. */
    static Supplier<Sender> sender(HttpClient client) {
        return () -> r -> client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    int bounded(double n) {
        return (int) Math.max(8, Math.min(o.maxRequests, Math.ceil(n)));
    }

    String keyLabel() {
        return o.key.equals("rsa") ? "RSA-2048" : "EC P-256";
    }

    // ------------------------------------------------------------------ profile and the broker's JVM

    /**
     * An extra, unreported window of {@code scenario} at concurrency {@code c} with a profiler
     * recording the broker: {@code warm} first (profiler off), then {@code measured}. JFR by
     * default; async-profiler's CPU timer when {@code --async-profiler} names its library (far more
     * samples, every thread counted). Writes the recording and its summary to the artifacts directory.
     */
    void profile(String scenario, String what, Supplier<Sender> senders, int c, List<HttpRequest> warm, List<HttpRequest> measured,
                 Predicate<HttpResponse<String>> ok) throws Exception {
        Files.createDirectories(o.artifacts);
        String name = "broker-" + scenario + "-c" + c;
        boolean async = o.asyncProfiler != null;
        Path recording = o.artifacts.toAbsolutePath().resolve(name + (async ? ".collapsed" : ".jfr"));
        Files.deleteIfExists(recording);
        ClosedLoop.run(env, senders, c, o.warmupSeconds, warm, ok, false, 0);
        if (async) {
            // jcmd reads key=value words as its own arguments: the agent's options go quoted, as one word.
            jcmd("JVMTI.agent_load", o.asyncProfiler.toAbsolutePath().toString(), "\"start,event=itimer,interval=1ms,threads\"");
        } else {
            jcmd("JFR.start", "name=ib-bench", "settings=" + o.jfrSettings);
        }
        Window w = ClosedLoop.run(env, senders, c, o.measureSeconds, measured, ok, true, 0);
        if (async) {
            jcmd("JVMTI.agent_load", o.asyncProfiler.toAbsolutePath().toString(), "\"stop,collapsed,file=" + recording + "\"");
        } else {
            jcmd("JFR.stop", "name=ib-bench", "filename=" + recording);
        }
        String profiler = async ? "async-profiler (itimer, 1 ms)" : "JFR (settings=" + o.jfrSettings + ")";
        Cell profiled = w.toCell(scenario, what + " (" + profiler + " on)", c);
        log("profiled window: %.1f req/s, p50 %.2f ms, p99 %.2f ms, broker CPU %.2f ms/req, vault CPU %.2f ms/req, other work %.2f cores",
                profiled.throughput(), profiled.p50Ms(), profiled.p99Ms(), profiled.brokerCpuMsPerReq(), profiled.vaultCpuMsPerReq(),
                profiled.otherCores());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ps.printf(Locale.ROOT, "%s of the broker during %d %s at concurrency %d (%.1f req/s with the profiler on, "
                        + "broker CPU %.2f ms/req, other work on the machine %.2f cores): %s%n%n",
                profiler, profiled.ok(), what, c, profiled.throughput(), profiled.brokerCpuMsPerReq(), profiled.otherCores(), recording);
        if (async) {
            CollapsedSummary.print(recording, ps, 25);
        } else {
            JfrSummary.print(recording, ps, 25);
        }
        profileSummary = buf.toString(StandardCharsets.UTF_8);
        Files.writeString(o.artifacts.resolve(name + ".profile.txt"), profileSummary);
        System.out.println(profileSummary);
        log("profile: %s (and .profile.txt next to it)", recording);
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

    /** The broker's live heap: a full GC through jcmd, then the heap's "used" (after VmRSS was read). */
    String liveHeapAfterFullGc() {
        try {
            jcmd("GC.run");
            String info = jcmd("GC.heap_info");
            // One line per generation (Serial, Parallel: young and old) or one for the whole heap (G1).
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
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
            Matcher m = Pattern.compile("-\\s+([A-Za-z][A-Za-z ]*?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(out);
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
}
