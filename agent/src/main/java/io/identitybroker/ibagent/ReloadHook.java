package io.identitybroker.ibagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the daemon does after it swapped the files: run a command ({@code sh -c}, with
 * {@code IB_AGENT_DIR} set) or send a signal to the process named in a pid file. A failing hook
 * is logged and does not stop the daemon: the files are already in place.
 */
public final class ReloadHook {
    private final String command;
    private final String signal;
    private final Path pidFile;
    private final Duration timeout;
    private final Path dir;

    public ReloadHook(String command, String signal, Path pidFile, Duration timeout, Path dir) {
        this.command = command;
        this.signal = signal;
        this.pidFile = pidFile;
        this.timeout = timeout;
        this.dir = dir;
    }

    public static ReloadHook none(Path dir) {
        return new ReloadHook(null, null, null, Duration.ZERO, dir);
    }

    public void run(String why) {
        try {
            if (command != null && !command.isBlank()) {
                ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT);
                pb.environment().put("IB_AGENT_DIR", dir.toString());
                pb.environment().put("IB_AGENT_EVENT", why);
                exec(pb, "reload command");
            } else if (signal != null && pidFile != null) {
                String pid = Files.readString(pidFile).strip();
                if (!pid.matches("\\d+")) {
                    Log.warn("reload hook: " + pidFile + " holds no pid");
                    return;
                }
                exec(new ProcessBuilder("kill", "-s", signal.replaceFirst("^SIG", ""), pid).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT), "kill -s " + signal + " " + pid);
            }
        } catch (IOException e) {
            Log.warn("reload hook failed: " + e.getMessage());
        }
    }

    private void exec(ProcessBuilder pb, String what) throws IOException {
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                Log.warn("reload hook: " + what + " did not finish within " + timeout.toSeconds() + "s; killed");
            } else if (p.exitValue() != 0) {
                Log.warn("reload hook: " + what + " exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }
}
