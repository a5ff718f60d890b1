package loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static loadgen.Util.JSON;
import static loadgen.Util.cpuModel;
import static loadgen.Util.fmt2;
import static loadgen.Util.log;
import static loadgen.Util.memTotal;
import static loadgen.Util.num;
import static loadgen.Util.read;

/**
 * The run's figures as JSON (docs/performance.json: every cell, every ratio, every target) and the
 * markdown rendered from that JSON alone ({@link #render}), so the two never disagree and the
 * markdown can be rendered again ({@code Main render FILE.json}). Missing figures are JSON null.
 */
final class Report {
    /** label, numerator scenario, denominator scenario, and the issue's targets per concurrency (NaN: none). */
    private record Ratio(String label, String num, String den) {
    }

    private static final List<Ratio> RATIOS = List.of(
            new Ratio("(b)/(p) broker exchange / step-ca", "b", "p"),
            new Ratio("(b)/(a) broker exchange / raw sign", "b", "a"),
            new Ratio("(p)/(a) step-ca / raw sign", "p", "a"),
            new Ratio("(c)/(c-raw) broker token / raw transit", "c", "c-raw"));

    private final Runner run;
    private final Memory mem;
    private final Memory vaultMem;
    private final String loadAtEnd;
    private final double minutes;

    Report(Runner run, Memory mem, Memory vaultMem, String loadAtEnd, double minutes) {
        this.run = run;
        this.mem = mem;
        this.vaultMem = vaultMem;
        this.loadAtEnd = loadAtEnd;
        this.minutes = minutes;
    }

    void write() throws IOException {
        Options o = run.o;
        ObjectNode json = build();
        if (Files.exists(o.json) && !o.quick) {
            json.set("compared_with_previous", compare(JSON.readTree(o.json.toFile()), json));
        }
        Files.createDirectories(o.out.toAbsolutePath().getParent());
        Files.writeString(o.json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        String md = render(json, o.json.getFileName().toString());
        Files.writeString(o.out, md);
        System.out.println();
        System.out.println(console(json));
        log("wrote %s and %s (rendered from it)", o.json, o.out);
    }

    // ------------------------------------------------------------------ the JSON

    private ObjectNode build() {
        Options o = run.o;
        Env env = run.env;
        ObjectNode j = JSON.createObjectNode();
        j.put("generated", run.startedAt);
        j.put("command", env.command());
        j.put("minutes", Math.round(minutes * 10) / 10.0);
        j.put("quick", o.quick);
        ObjectNode machine = j.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("memory", memTotal());
        machine.put("kernel", read("/proc/sys/kernel/osrelease"));
        machine.put("jdk", env.javaVersion());
        machine.put("vault", env.vaultVersion());
        machine.put("load_average_start", run.loadAtStart);
        machine.put("load_average_end", loadAtEnd);
        ObjectNode p = j.putObject("parameters");
        p.put("csr_key", run.keyLabel());
        p.put("csrs", o.csrPool);
        p.put("warmup_seconds", o.warmupSeconds);
        p.put("measure_seconds", o.measureSeconds);
        p.put("rounds", o.rounds);
        p.put("max_requests_per_window", o.maxRequests);
        ArrayNode conc = p.putArray("concurrency");
        Arrays.stream(o.concurrency).forEach(conc::add);
        p.put("global_warmup", run.warmupNote);
        p.put("tenant", env.tenant());
        p.put("database", env.database());
        p.put("broker_jar", env.brokerJar().isEmpty() ? "broker/target/broker.jar" : env.brokerJar());
        p.put("broker_java_opts", env.brokerJavaOpts());
        p.put("broker_java_opts_expanded", expandArgFiles(env.brokerJavaOpts()));

        ArrayNode cells = j.putArray("cells");
        for (Cell c : run.cells) {
            ObjectNode n = cells.addObject();
            n.put("scenario", c.scenario());
            n.put("target", c.target());
            n.put("concurrency", c.concurrency());
            n.put("requests", c.ok());
            n.put("errors", c.errors());
            number(n, "seconds", c.seconds());
            number(n, "throughput", c.throughput());
            number(n, "p50_ms", c.p50Ms());
            number(n, "p99_ms", c.p99Ms());
            ObjectNode cpu = n.putObject("cpu_ms_per_request");
            number(cpu, "broker", c.brokerCpuMsPerReq());
            number(cpu, "vault", c.vaultCpuMsPerReq());
            number(cpu, "step_ca", c.peerCpuMsPerReq());
            number(cpu, "database", c.databaseCpuMsPerReq());
            number(cpu, "load_generator", c.loadgenCpuMsPerReq());
            number(n, "other_cores", c.otherCores());
            n.put("broker_threads_ms_per_request", c.brokerThreads());
            n.put("note", c.note());
            ArrayNode rr = n.putArray("round_throughput");
            Arrays.stream(c.roundRates()).forEach(v -> rr.add(Math.round(v * 10) / 10.0));
            number(n, "round_spread", c.spread());
            if (c.warmup() != null) {
                ObjectNode w = n.putObject("warmup");
                w.put("requests", c.warmup().requests());
                number(w, "seconds", c.warmup().seconds());
                w.put("settled", c.warmup().settled());
                number(w, "last_broker_cpu_ms_per_request", c.warmup().lastBrokerCpuMsPerReq());
            }
        }
        ArrayNode ratios = j.putArray("ratios");
        for (Ratio r : RATIOS) {
            for (int c : o.concurrency) {
                Cell a = run.find(r.num(), c);
                Cell b = run.find(r.den(), c);
                if (a == null || b == null) {
                    continue;
                }
                ObjectNode n = ratios.addObject();
                n.put("label", r.label());
                n.put("numerator", r.num());
                n.put("denominator", r.den());
                n.put("concurrency", c);
                number(n, "throughput", a.throughput() / b.throughput());
                number(n, "p50", a.p50Ms() / b.p50Ms());
                number(n, "p99", a.p99Ms() / b.p99Ms());
                number(n, "cpu_ms_per_request_own", ownCpu(a) / ownCpu(b));
            }
        }
        ArrayNode targets = j.putArray("targets");
        targets(targets);
        ArrayNode skipped = j.putArray("skipped");
        run.skipped.forEach(s -> skipped.addObject().put("scenario", s.scenario()).put("reason", s.reason()));
        ArrayNode notes = j.putArray("notes");
        run.notes.forEach(notes::add);
        ObjectNode m = j.putObject("memory");
        m.put("broker_rss_mib", mem.rssKiB() < 0 ? null : Math.round(mem.rssKiB() / 1024.0));
        m.put("broker_hwm_mib", mem.hwmKiB() < 0 ? null : Math.round(mem.hwmKiB() / 1024.0));
        m.put("vault_rss_mib", vaultMem == null || vaultMem.rssKiB() < 0 ? null : Math.round(vaultMem.rssKiB() / 1024.0));
        m.put("broker_heap_after_full_gc", run.liveHeap);
        m.put("broker_native_memory", run.nativeMemory);
        j.set("leaf_equivalence", JSON.valueToTree(run.equivalence));
        j.put("profile", run.profileSummary);
        j.put("artifacts", o.artifacts.toString());
        return j;
    }

    /** CPU of the process that does the scenario's own work: the broker, step-ca, or Vault for raw cells. */
    private static double ownCpu(Cell c) {
        return switch (c.scenario()) {
            case "p" -> c.peerCpuMsPerReq();
            case "a", "c-raw" -> c.vaultCpuMsPerReq();
            default -> c.brokerCpuMsPerReq();
        };
    }

    private void targets(ArrayNode out) {
        Cell b32 = run.find("b", 32);
        if (b32 != null) {
            String db = Double.isNaN(b32.databaseCpuMsPerReq()) ? ""
                    : String.format(Locale.ROOT, " (and the database server %.2f ms)", b32.databaseCpuMsPerReq());
            target(out, "broker CPU per exchange (all its threads), concurrency 32", "<= 1.0 ms",
                    String.format(Locale.ROOT, "%.2f ms", b32.brokerCpuMsPerReq()) + db, b32.brokerCpuMsPerReq() <= 1.0);
        }
        for (int c : run.o.concurrency) {
            Cell b = run.find("b", c);
            Cell p = run.find("p", c);
            if (b == null || p == null || (c != 1 && c != 8 && c != 32)) {
                continue;
            }
            double want = c == 1 ? 1.0 : 1.3;
            double t = b.throughput() / p.throughput();
            target(out, "exchange vs step-ca throughput, concurrency " + c, ">= " + want + " x", fmt2(t) + " x", t >= want);
            if (c == 32) {
                double p99 = b.p99Ms() / p.p99Ms();
                target(out, "exchange p99 vs step-ca, concurrency 32", "<= 1.0 x", fmt2(p99) + " x", p99 <= 1.0);
            }
        }
        Cell cr = run.find("c-raw", 32);
        Cell c = run.find("c", 32);
        if (cr != null && c != null) {
            double t = c.throughput() / cr.throughput();
            target(out, "token issuance vs raw transit sign, concurrency 32", ">= 0.8 x", fmt2(t) + " x", t >= 0.8);
        }
        run.cells.stream().filter(x -> x.scenario().equals("d")).max(java.util.Comparator.comparingDouble(Cell::throughput))
                .ifPresent(d -> target(out, "introspection", ">= 12,000 req/s, no Vault call per request",
                        String.format(Locale.ROOT, "%.0f req/s (concurrency %d), Vault CPU %s ms/req", d.throughput(), d.concurrency(),
                                num(d.vaultCpuMsPerReq())), d.throughput() >= 12_000 && !(d.vaultCpuMsPerReq() > 0.05)));
        target(out, "broker resident memory after the run", "< 300 MiB", mem.mib(mem.rssKiB()), mem.rssKiB() >= 0 && mem.rssKiB() < 300 * 1024);
    }

    private static void target(ArrayNode out, String what, String asked, String measured, boolean met) {
        out.addObject().put("target", what).put("asked", asked).put("measured", measured).put("met", met);
    }

    /**
     * This run's throughput and ratios against the report it replaces, when that one came from the
     * same machine and versions; ratios of alternating cells are the figures that should repeat.
     */
    private static ObjectNode compare(JsonNode before, ObjectNode now) {
        ObjectNode out = JSON.createObjectNode();
        boolean same = before.path("machine").path("cores").equals(now.path("machine").path("cores"))
                && before.path("machine").path("memory").equals(now.path("machine").path("memory"))
                && before.path("machine").path("jdk").equals(now.path("machine").path("jdk"))
                && before.path("machine").path("vault").equals(now.path("machine").path("vault"));
        out.put("previous_generated", before.path("generated").asText("?"));
        out.put("same_machine", same);
        if (!same) {
            return out;
        }
        out.set("cells", throughputs(before, now, "cells", "scenario", "target"));
        out.set("ratios", throughputs(before, now, "ratios", "label", "label"));
        return out;
    }

    /** Each entry of {@code array} (keyed by {@code key} and concurrency) with its throughput before and now. */
    private static ArrayNode throughputs(JsonNode before, JsonNode now, String array, String key, String label) {
        Map<String, Double> was = new LinkedHashMap<>();
        before.path(array).forEach(e -> was.put(e.path(key).asText() + "|" + e.path("concurrency").asInt(),
                e.path("throughput").asDouble(Double.NaN)));
        ArrayNode out = JSON.createArrayNode();
        now.path(array).forEach(e -> {
            Double w = was.get(e.path(key).asText() + "|" + e.path("concurrency").asInt());
            if (w != null && w > 0) {
                ObjectNode n = out.addObject();
                n.put(key, e.path(key).asText()).put(label, e.path(label).asText())
                        .put("concurrency", e.path("concurrency").asInt()).put("previous", w);
                n.set("now", e.path("throughput"));
                number(n, "difference", (e.path("throughput").asDouble() - w) / w);
            }
        });
        return out;
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(key);
        } else {
            n.put(key, Math.round(v * 1000) / 1000.0);
        }
    }

    // ------------------------------------------------------------------ rendering (from the JSON only)

    private static String f(JsonNode n, String fmt) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : String.format(Locale.ROOT, fmt, n.asDouble());
    }

    /** The console table: cells, ratios, targets, what was skipped. */
    static String console(JsonNode j) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-5s %-28s %5s %10s %9s %9s %7s %8s %8s %8s %8s %8s %8s%n", "", "scenario", "conc", "req/s",
                "p50 ms", "p99 ms", "errors", "ok", "broker", "vault", "step-ca", "database", "loadgen"));
        b.append(String.format(Locale.ROOT, "%-5s %-28s %5s %10s %9s %9s %7s %8s %44s%n", "", "", "", "", "", "", "", "",
                "CPU ms per request"));
        for (JsonNode c : j.path("cells")) {
            JsonNode cpu = c.path("cpu_ms_per_request");
            b.append(String.format(Locale.ROOT, "%-5s %-28s %5d %10s %9s %9s %7d %8d %8s %8s %8s %8s %8s%s%n", c.path("scenario").asText(),
                    c.path("target").asText(), c.path("concurrency").asInt(), f(c.path("throughput"), "%.1f"), f(c.path("p50_ms"), "%.2f"),
                    f(c.path("p99_ms"), "%.2f"), c.path("errors").asLong(), c.path("requests").asLong(), f(cpu.path("broker"), "%.2f"),
                    f(cpu.path("vault"), "%.2f"), f(cpu.path("step_ca"), "%.2f"), f(cpu.path("database"), "%.2f"),
                    f(cpu.path("load_generator"), "%.2f"), c.path("note").asText().isEmpty() ? "" : "  " + c.path("note").asText()));
        }
        b.append(System.lineSeparator());
        for (JsonNode r : j.path("ratios")) {
            b.append(String.format(Locale.ROOT, "%-42s c=%-3d throughput %s  p50 %s  p99 %s%n", r.path("label").asText(),
                    r.path("concurrency").asInt(), f(r.path("throughput"), "%.2f"), f(r.path("p50"), "%.2f"), f(r.path("p99"), "%.2f")));
        }
        b.append(System.lineSeparator());
        for (JsonNode t : j.path("targets")) {
            b.append(String.format(Locale.ROOT, "target %-58s %-42s %-34s %s%n", t.path("target").asText(), t.path("asked").asText(),
                    t.path("measured").asText(), t.path("met").asBoolean() ? "met" : "NOT met"));
        }
        for (JsonNode s : j.path("skipped")) {
            b.append(String.format("(%s) skipped: %s%n", s.path("scenario").asText(), s.path("reason").asText()));
        }
        b.append(String.format(Locale.ROOT, "load average at start %s, at end %s; run took %s min%n",
                j.path("machine").path("load_average_start").asText(), j.path("machine").path("load_average_end").asText(),
                j.path("minutes").asText()));
        return b.toString();
    }

    /** docs/performance.md from docs/performance.json; {@code jsonName} is that JSON's file name, next to the markdown. */
    static String render(JsonNode j, String jsonName) {
        StringBuilder m = new StringBuilder();
        JsonNode p = j.path("parameters");
        m.append("# Performance: the broker against raw Vault and step-ca\n\n");
        m.append("<!-- Generated by scripts/bench.sh (scripts/bench/loadgen) from " + jsonName + " next to this file. "
                + "Do not edit: run it again, or re-render it from that file with `scripts/bench.sh --render FILE.json`. -->\n\n");
        if (j.path("quick").asBoolean()) {
            m.append("> **Quick run** (a few seconds per cell): a smoke test of the harness, not a benchmark result.\n\n");
        }
        m.append("Generated ").append(j.path("generated").asText()).append(" by `").append(j.path("command").asText()).append("` in ")
                .append(j.path("minutes").asText()).append(" min. Issues 7 and 15 describe the harness and the targets; ")
                .append("every figure below is in `").append(jsonName).append("`.\n\n");

        m.append("## Targets\n\n| target | asked | this run | |\n|---|---|---|---|\n");
        for (JsonNode t : j.path("targets")) {
            m.append("| ").append(t.path("target").asText()).append(" | ").append(t.path("asked").asText()).append(" | ")
                    .append(t.path("measured").asText()).append(" | ").append(t.path("met").asBoolean() ? "met" : "NOT met").append(" |\n");
        }
        m.append("\n## Results\n\n");
        // A separate database server has a column of its own; an embedded H2 is inside the broker's figure.
        boolean db = false;
        for (JsonNode c : j.path("cells")) {
            db |= c.path("cpu_ms_per_request").path("database").isNumber();
        }
        m.append("| scenario | concurrency | req/s | p50 ms | p99 ms | errors | requests | broker CPU ms/req | Vault CPU ms/req "
                + "| step-ca CPU ms/req | " + (db ? "database CPU ms/req | " : "")
                + "load-generator CPU ms/req | other CPU (cores) | req/s per round (spread) | warm-up |\n");
        m.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (db ? "---:|" : "") + "---:|---:|---:|---|\n");
        for (JsonNode c : j.path("cells")) {
            JsonNode cpu = c.path("cpu_ms_per_request");
            String rounds = toList(c.path("round_throughput")).stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
                    .collect(Collectors.joining(" / "));
            if (!c.path("round_spread").isNull() && !c.path("round_spread").isMissingNode()) {
                rounds += String.format(Locale.ROOT, " (%.0f %%)", 100 * c.path("round_spread").asDouble());
            }
            JsonNode w = c.path("warmup");
            String warm = w.isMissingNode() ? "" : String.format(Locale.ROOT, "%d req, %.0f s%s", w.path("requests").asLong(),
                    w.path("seconds").asDouble(), Runner.isBroker(c.path("scenario").asText())
                            ? (w.path("settled").asBoolean() ? ", settled" : ", not settled") : "");
            m.append(String.format(Locale.ROOT, "| (%s) %s | %d | %s | %s | %s | %d | %d | %s | %s | %s | %s%s | %s | %s | %s |%n",
                    c.path("scenario").asText(), c.path("target").asText() + (c.path("note").asText().isEmpty() ? ""
                            : " (" + c.path("note").asText() + ")"), c.path("concurrency").asInt(), f(c.path("throughput"), "%.1f"),
                    f(c.path("p50_ms"), "%.2f"), f(c.path("p99_ms"), "%.2f"), c.path("errors").asLong(), c.path("requests").asLong(),
                    f(cpu.path("broker"), "%.2f"), f(cpu.path("vault"), "%.2f"), f(cpu.path("step_ca"), "%.2f"),
                    db ? f(cpu.path("database"), "%.2f") + " | " : "", f(cpu.path("load_generator"), "%.2f"), f(c.path("other_cores"), "%.2f"),
                    rounds, warm));
        }
        m.append("\nCPU columns: CPU time of each process during the measured windows divided by its requests ")
                .append("(from `/proc/<pid>/stat`); on raw Vault and step-ca rows the broker is idle. ")
                .append(db ? "Database CPU: the PostgreSQL server the broker writes to (its postmaster and every backend); "
                        + "the broker's own figure does not include it. " : "")
                .append("Other CPU: cores' worth of CPU the ")
                .append("rest of the machine used during the window (`/proc/stat` minus the measured processes); a row with ")
                .append("more than a few tenths shared its cores with other work and is less trustworthy. Warm-up: requests and ")
                .append("seconds before the cell was measured; a broker cell warms up until its CPU per request is stable.\n\n");
        m.append("Where the broker's CPU went, ms per request by thread (from `/proc/<pid>/task`; `io-executor-thread` ")
                .append("runs the request handling, `default-eventLo` is Netty's TLS and HTTP, `C# CompilerThre` the JIT, ")
                .append("`VM Thread` the serial collector):\n\n");
        for (JsonNode c : j.path("cells")) {
            if (Runner.isBroker(c.path("scenario").asText()) && !c.path("broker_threads_ms_per_request").asText().isEmpty()) {
                m.append("- (").append(c.path("scenario").asText()).append(") concurrency ").append(c.path("concurrency").asInt())
                        .append(": ").append(c.path("broker_threads_ms_per_request").asText()).append("\n");
            }
        }
        m.append("\n### Ratios\n\n");
        m.append("Cells of one concurrency ran in alternating rounds, so each ratio compares figures from the same minutes. ")
                .append("Own CPU: CPU per request of the process doing the work (broker, step-ca, or Vault for raw cells).\n\n");
        m.append("| comparison | concurrency | throughput | p50 | p99 | own CPU per request |\n|---|---:|---:|---:|---:|---:|\n");
        for (JsonNode r : j.path("ratios")) {
            m.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", r.path("label").asText(), r.path("concurrency").asInt(),
                    f(r.path("throughput"), "%.2f"), f(r.path("p50"), "%.2f"), f(r.path("p99"), "%.2f"),
                    f(r.path("cpu_ms_per_request_own"), "%.2f")));
        }
        JsonNode eq = j.path("leaf_equivalence");
        if (eq.has("compared")) {
            m.append("\n### Equivalent leaves\n\nOne leaf each of ").append(eq.path("compared").toString())
                    .append(", compared on issuer, subject, SAN, key usages and lifetime: ")
                    .append(eq.path("equivalent").asBoolean() ? "**equivalent**." : "**not equivalent**: " + eq.path("differences"))
                    .append(eq.path("not_compared").isEmpty() ? "" : " Not compared (not run): " + eq.path("not_compared") + ".")
                    .append("\n\n| leaf | ");
            List<String> fields = new ArrayList<>();
            eq.path("leaves").elements().next().fieldNames().forEachRemaining(fields::add);
            m.append(String.join(" | ", fields)).append(" |\n|---|").append("---|".repeat(fields.size())).append("\n");
            eq.path("leaves").properties().forEach(e -> {
                m.append("| (").append(e.getKey()).append(") |");
                fields.forEach(fl -> m.append(" ").append(e.getValue().path(fl).asText().replace("|", "/")).append(" |"));
                m.append("\n");
            });
        }
        JsonNode mem = j.path("memory");
        m.append("\n### Resident memory\n\nBroker at the end of the run: VmRSS **").append(mem.path("broker_rss_mib").asText("?"))
                .append(" MiB**, peak VmHWM ").append(mem.path("broker_hwm_mib").asText("?")).append(" MiB (target: under 300 MiB). ")
                .append("Broker JVM options: ").append(p.path("broker_java_opts").asText().isBlank() ? "none (bare `java -jar`)"
                        : "`" + p.path("broker_java_opts").asText() + "`" + p.path("broker_java_opts_expanded").asText())
                .append(". Its heap after a full GC, forced with jcmd once VmRSS was read: ").append(mem.path("broker_heap_after_full_gc").asText());
        if (!mem.path("broker_native_memory").isNull()) {
            m.append(". Native Memory Tracking: ").append(mem.path("broker_native_memory").asText());
        }
        if (!mem.path("vault_rss_mib").isNull()) {
            m.append(". Vault dev server VmRSS: ").append(mem.path("vault_rss_mib").asText()).append(" MiB");
        }
        m.append(".\n\n### Not measured\n\n");
        if (j.path("skipped").isEmpty()) {
            m.append("Nothing: every scenario asked for ran.\n\n");
        } else {
            j.path("skipped").forEach(s -> m.append("- (").append(s.path("scenario").asText()).append(") ")
                    .append(s.path("reason").asText()).append(".\n"));
            m.append("\n");
        }
        j.path("notes").forEach(n -> m.append("- ").append(n.asText()).append("\n"));
        if (!j.path("notes").isEmpty()) {
            m.append("\n");
        }
        JsonNode cmp = j.path("compared_with_previous");
        if (!cmp.isMissingNode()) {
            m.append("## Compared with the previous run\n\n");
            if (!cmp.path("same_machine").asBoolean()) {
                m.append("The report this run replaced (").append(cmp.path("previous_generated").asText())
                        .append(") came from another machine or set-up; no comparison.\n\n");
            } else {
                m.append("Against the report this run replaced (generated ").append(cmp.path("previous_generated").asText())
                        .append(", same machine and versions):\n\n")
                        .append("| cell or ratio | concurrency | previous | this run | difference |\n|---|---:|---:|---:|---:|\n");
                cmp.path("cells").forEach(c -> m.append(String.format(Locale.ROOT, "| (%s) %s | %d | %.1f | %.1f | %+.0f %% |%n",
                        c.path("scenario").asText(), c.path("target").asText(), c.path("concurrency").asInt(), c.path("previous").asDouble(),
                        c.path("now").asDouble(), 100 * c.path("difference").asDouble())));
                cmp.path("ratios").forEach(r -> m.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %+.0f %% |%n",
                        r.path("label").asText(), r.path("concurrency").asInt(), r.path("previous").asDouble(), r.path("now").asDouble(),
                        100 * r.path("difference").asDouble())));
                m.append("\n");
            }
        }
        if (!j.path("profile").isNull() && !j.path("profile").isMissingNode()) {
            m.append("## Profile (--profile)\n\nJFR was set up with the broker's JVM and recorded only this extra window ")
                    .append("after the measured cells; the .jfr file stays in ").append(j.path("artifacts").asText()).append(".\n\n```\n")
                    .append(j.path("profile").asText().lines().limit(90).collect(Collectors.joining("\n"))).append("\n```\n\n");
        }
        JsonNode mc = j.path("machine");
        m.append("## Machine\n\n| | |\n|---|---|\n");
        m.append("| cores (nproc) | ").append(mc.path("cores").asInt()).append(" (").append(mc.path("cpu").asText()).append(") |\n");
        m.append("| memory | ").append(mc.path("memory").asText()).append(" |\n");
        m.append("| kernel | ").append(mc.path("kernel").asText()).append(" |\n");
        m.append("| JDK (`java -version`) | ").append(mc.path("jdk").asText()).append(" |\n");
        m.append("| Vault | ").append(mc.path("vault").asText()).append(" (dev server, in-memory storage, HTTP on loopback) |\n");
        m.append("| load average (1/5/15 min) | at start ").append(mc.path("load_average_start").asText()).append(", at end ")
                .append(mc.path("load_average_end").asText()).append(" |\n");
        m.append("\nBroker, Vault, step-ca and the load generator share these cores; other work on the machine shows in the load average.\n\n");

        m.append("## Parameters\n\n");
        m.append("- CSRs: ").append(p.path("csr_key").asText()).append(", ").append(p.path("csrs").asInt())
                .append(" distinct ones generated before any measurement and cycled; (a) and (b) send the same CSRs, (p) sends CSRs ")
                .append("of the same key type that carry the SPIFFE ID as their only SAN (step-ca's VaultCAS forwards only the CSR).\n");
        m.append("- Per cell: warm-up windows of ").append(p.path("warmup_seconds").asText()).append(" s at the cell's concurrency (a broker cell ")
                .append("repeats them, up to ten, until its CPU per request is within 10 % of the previous window's and its JIT uses less ")
                .append("than a tenth of a core), then ").append(p.path("measure_seconds").asText()).append(" s measured in ")
                .append(p.path("rounds").asInt()).append(" round(s) (at most ").append(p.path("max_requests_per_window").asInt())
                .append(" requests each), alternating with the cells it is compared with ((a), (p) and (b); (c-raw) and (c); (d) and (d-jdk)); ")
                .append("concurrency ").append(toList(p.path("concurrency")).stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
                        .collect(Collectors.joining(", "))).append(". Before the first cell, a global warm-up: ")
                .append(p.path("global_warmup").asText()).append(".\n");
        m.append("- (a) `POST /v1/pki-tenants/").append(p.path("tenant").asText()).append("/sign/agent` with the body the broker sends ")
                .append("(`csr`, `uri_sans` = a fresh SPIFFE ID, `format=pem`, `exclude_cn_from_sans=true`), with a token of the ")
                .append("broker's own AppRole, on the same role.\n");
        m.append("- (p) step-ca `POST /1.0/sign {csr, ott}` over HTTPS, one one-time token per request (ES256, JWK provisioner, ")
                .append("jti enforced by its badger database), in RA mode: its VaultCAS sends the CSR to `pki-tenants/")
                .append(p.path("tenant").asText()).append("/sign/step-ca` with its own AppRole.\n");
        m.append("- (b) `POST /api/v1/agent-enrollment/exchange` over HTTPS, one single-use enrollment token per exchange, minted through ")
                .append("the admin API before each window. The broker's database: ").append(p.path("database").asText()).append(".\n");
        m.append("- (c) `POST /oauth2/token` over mTLS against raw `transit/sign`; (d) introspection with a minimal keep-alive socket client, ")
                .append("(d-jdk) the same through `java.net.http`.\n");
        m.append("- Client (every other scenario): `java.net.http.HttpClient`, HTTP/1.1 with keep-alive, one client per target; closed loop. ")
                .append("Throughput = requests started in the window / time from its start to the last answer; latency = send to complete body; ")
                .append("a request counts as an error unless it has the expected status and body.\n");
        m.append("- The broker: `").append(p.path("broker_jar").asText()).append("`.\n\n");
        m.append("## How to run\n\n```sh\n");
        m.append("scripts/bench.sh              # full run: builds the jar and step-ca if needed, writes docs/performance.json and .md\n");
        m.append("scripts/bench.sh --quick      # a few seconds per cell, writes target/bench/performance-quick.{json,md}\n");
        m.append("scripts/bench.sh --scenarios a,b --concurrency 32 --profile   # JFR of the broker during exchanges\n");
        m.append("scripts/bench.sh --help       # every option\n```\n");
        return m.toString();
    }

    private static List<Double> toList(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    /** " (= `-Xmx96m ...`)" for options that name java @argfiles (comments dropped), else "". */
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
}
