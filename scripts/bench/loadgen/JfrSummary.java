package loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;



/** Where a JFR recording says the JVM's time went: CPU samples, lock and park waits, GC. */
final class JfrSummary {
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
            String lib = library(f.getMethod().getType().getName());
            if (lib != null) {
                return lib;
            }
        }
        return "JDK (other)";
    }

    /** The known library a class belongs to ({@link #LIBRARIES}), or null. */
    static String library(String className) {
        for (String[] lib : LIBRARIES) {
            if (className.startsWith(lib[0])) {
                return lib[1];
            }
        }
        return null;
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
