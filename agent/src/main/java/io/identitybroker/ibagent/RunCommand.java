package io.identitybroker.ibagent;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ib-agent run}: the daemon (see {@link Daemon}). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the daemon: renew the SVID before it expires (new key each time), swap the files atomically, "
                + "run the reload hook, refresh the trust bundle, and serve the SPIFFE Workload API on a unix socket.",
                "Exits 4 when the identity expired (enroll again), 5 when the agent was revoked, 143 on SIGTERM."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Workload API socket (default DIR/agent.sock); clients use SPIFFE_ENDPOINT_SOCKET=unix://PATH.")
    Path socket;

    @Option(names = "--socket-group", paramLabel = "GROUP",
            description = "Give this group access to the socket (mode 0660); default mode 0600, owner only.")
    String socketGroup;

    @ArgGroup(exclusive = true)
    Hook hook;

    static final class Hook {
        @Option(names = "--exec", paramLabel = "CMD", description = "Reload hook: run CMD with /bin/sh -c after every rotation or bundle change.")
        String command;

        @ArgGroup(exclusive = false)
        Signal signal;
    }

    static final class Signal {
        @Option(names = "--signal", required = true, paramLabel = "SIG", description = "Reload hook: send SIG (e.g. HUP) ...")
        String name;
        @Option(names = "--pid-file", required = true, paramLabel = "F", description = "... to the process whose pid is in F.")
        Path pidFile;
    }

    @Option(names = "--hook-timeout", defaultValue = "30s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Longest a reload command may run (default ${DEFAULT-VALUE}).")
    Duration hookTimeout;

    @Option(names = "--renew-at", defaultValue = "0.6667", paramLabel = "FRACTION",
            description = "Renew at this fraction of the certificate's lifetime (default ${DEFAULT-VALUE}).")
    double renewFraction;

    @Option(names = "--renew-jitter", defaultValue = "0.05", paramLabel = "FRACTION",
            description = "Renew up to this fraction of the lifetime earlier, at random (default ${DEFAULT-VALUE}).")
    double renewJitter;

    @Option(names = "--rotate-secret-every", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Rotate the agent secret on this schedule, e.g. 24h (default: off).")
    Duration secretRotation;

    @Option(names = "--retry-initial", defaultValue = "1s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "First retry delay after a failed broker call (doubles each time, with jitter; default ${DEFAULT-VALUE}).")
    Duration retryInitial;

    @Option(names = "--retry-max", defaultValue = "5m", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Longest retry delay (default ${DEFAULT-VALUE}); never so long that the certificate expires unretried.")
    Duration retryMax;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(renewFraction > 0 && renewFraction < 1) || renewJitter < 0 || renewJitter >= renewFraction) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--renew-at must be in (0,1) and --renew-jitter in [0, --renew-at)");
        }
        StateDir state = dir.state();
        Path sock = socket != null ? socket.toAbsolutePath() : state.file("agent.sock");
        ReloadHook reload = hook == null ? ReloadHook.none(state.path())
                : new ReloadHook(hook.command, hook.signal == null ? null : hook.signal.name,
                hook.signal == null ? null : hook.signal.pidFile, hookTimeout, state.path());
        return new Daemon(state, new Daemon.Settings(sock, socketGroup, renewFraction, renewJitter, secretRotation,
                retryInitial, retryMax), reload).run();
    }
}
