package loadgen;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One measured window of the closed loop: what answered, how fast, and the CPU it cost. */
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
                cpu == null || cpu.peerMs < 0 ? Double.NaN : cpu.peerMs / n,
                cpu == null || cpu.databaseMs < 0 ? Double.NaN : cpu.databaseMs / n,
                cpu == null ? Double.NaN : cpu.selfMs / n, cpu == null ? Double.NaN : cpu.otherMs() / 1000 / seconds,
                threadSummary(brokerThreads, n), note, roundRates, null);
    }
}

