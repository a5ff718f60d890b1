package io.identitybroker.ibagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code ib-agent.jar} as a real process, with the launcher's JVM options. */
final class AgentCli {
    /** As scripts/ib-agent starts it. */
    static final List<String> JVM = List.of("-Xmx16m", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=12m", "-XX:MaxMetaspaceSize=48m", "-XX:MaxDirectMemorySize=16m",
            "-XX:TrimNativeHeapInterval=30000", "-Xshare:auto");

    record Result(int exit, String stdout, String stderr) {
    }

    private AgentCli() {
    }

    static Path jar() {
        String jar = System.getProperty("ib.agent.jar");
        Path p = jar != null ? Path.of(jar) : Path.of("target", "ib-agent.jar");
        if (!Files.exists(p)) {
            throw new IllegalStateException("ib-agent.jar not built at " + p.toAbsolutePath() + " (run mvn package first)");
        }
        return p.toAbsolutePath();
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JVM);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command to its end (60 s at most). */
    static Result run(String... args) {
        try {
            Path out = Files.createTempFile("ib-agent-out-", ".txt");
            Path err = Files.createTempFile("ib-agent-err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ib-agent " + String.join(" ", args) + " did not finish");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A long-running daemon; its output goes to {@code log}. */
    static Process start(Path log, String... args) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
