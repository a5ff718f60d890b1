package loadgen;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Command-line options (bench.sh passes its own through). */
final class Options {
    boolean quick;
    String key = "ec";            // ec (P-256) | rsa (2048)
    int csrPool = -1;             // distinct CSRs, cycled; -1: 1024 for EC, 64 for RSA
    double warmupSeconds = -1;    // per cell
    double measureSeconds = -1;   // per cell
    int[] concurrency = {1, 8, 32};
    int maxRequests = 40_000;     // per measured window (bounds token minting and memory)
    int rounds = -1;              // measured rounds per cell, alternating with its pair; -1: 3 (quick: 1)
    Set<String> scenarios = new HashSet<>(List.of("a", "b", "c", "d", "p"));
    boolean profile;
    int profileAt = 32;           // concurrency of the profiled window
    String profileScenario = "b"; // broker scenario of the profiled window: b | c | d
    String jfrSettings = "profile"; // JFR settings of the profiled window: profile | default
    /** async-profiler's agent library: the profiled window samples CPU with it instead of JFR. */
    Path asyncProfiler;
    Path out;
    /** The figures as JSON, next to {@link #out}; the markdown is rendered from them. */
    Path json;
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
                case "--async-profiler" -> {
                    o.profile = true;
                    o.asyncProfiler = Path.of(args[++i]);
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
        String md = o.out.getFileName().toString();
        o.json = o.out.resolveSibling((md.endsWith(".md") ? md.substring(0, md.length() - 3) : md) + ".json");
        if (o.measureSeconds > 60 || o.warmupSeconds > 30 || o.concurrency.length > 6 || o.rounds < 1 || o.rounds > 10
                || Arrays.stream(o.concurrency).anyMatch(c -> c < 1 || c > 256)) {
            throw new IllegalArgumentException("bounded runs only: --duration <= 60, --warmup <= 30, --rounds 1..10, concurrency 1..256");
        }
        return o;
    }
}
