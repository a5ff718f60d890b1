package loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where async-profiler's CPU samples (collapsed stacks, one line per stack with its thread first
 * and its count last) say the broker's time went: by thread, by library, by top frame and by
 * broker method, the same sections as {@link JfrSummary}. Samples come from a CPU timer
 * ({@code event=itimer}), so every thread is counted, the collector and the JIT included, in
 * proportion to the CPU it used.
 */
final class CollapsedSummary {
    private CollapsedSummary() {
    }

    static void print(Path file, PrintStream out, int top) throws IOException {
        long samples = 0;
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> library = new HashMap<>();
        Map<String, Long> topFrame = new HashMap<>();
        Map<String, Long> brokerInclusive = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long n = Long.parseLong(line.substring(space + 1).trim());
            List<String> frames = List.of(line.substring(0, space).split(";"));
            String thread = threadGroup(frames.get(0));
            List<String> stack = frames.subList(1, frames.size());
            samples += n;
            JfrSummary.add(threads, thread, n);
            JfrSummary.add(library, libraryOf(stack, thread), n);
            if (!stack.isEmpty()) {
                JfrSummary.add(topFrame, javaName(stack.get(stack.size() - 1)), n);
            }
            Set<String> seen = new HashSet<>();
            for (String f : stack) {
                String name = javaName(f);
                if (name.startsWith("io.identitybroker.") && seen.add(name)) {
                    JfrSummary.add(brokerInclusive, name, n);
                }
            }
        }
        out.printf(Locale.ROOT, "CPU samples (async-profiler, itimer): %d%n%n", samples);
        JfrSummary.section(out, "CPU samples by thread", threads, samples, 12, "%");
        JfrSummary.section(out, "CPU samples by library (innermost frame of a known library; JVM-only stacks by thread)",
                library, samples, top, "%");
        JfrSummary.section(out, "CPU samples by top frame (self time)", topFrame, samples, top, "%");
        JfrSummary.section(out, "CPU samples by broker method (inclusive: the method or anything it calls)", brokerInclusive,
                samples, top, "%");
    }

    /** {@code [io-executor-thread-3 tid=123]} -> {@code io-executor-thread-#}. */
    static String threadGroup(String first) {
        String name = first.startsWith("[") ? first.substring(1, first.length() - 1) : first;
        int tid = name.lastIndexOf(" tid=");
        return JfrSummary.threadGroup(tid >= 0 ? name.substring(0, tid) : name);
    }

    /** {@code io/identitybroker/X.m} -> {@code io.identitybroker.X.m}; native frames stay as they are. */
    static String javaName(String frame) {
        return frame.replace('/', '.');
    }

    static String libraryOf(List<String> stack, String thread) {
        for (int i = stack.size() - 1; i >= 0; i--) {
            String lib = JfrSummary.library(javaName(stack.get(i)));
            if (lib != null) {
                return lib;
            }
        }
        if (thread.startsWith("VM Thread") || thread.startsWith("GC ")) {
            return "JVM: garbage collection";
        }
        if (thread.contains("CompilerThre")) {
            return "JVM: JIT compiler";
        }
        boolean java = stack.stream().anyMatch(f -> f.contains("/"));
        return java ? "JDK (other)" : "JVM and native (other)";
    }
}
