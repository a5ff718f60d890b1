package io.identitybroker.ibagent;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ib-agent}: enroll, run (the daemon), status, token, jwt-svid. */
@Command(name = "ib-agent", mixinStandardHelpOptions = true, version = "ib-agent 0.1.0",
        description = "Identity Broker agent: enrolls, keeps its SPIFFE X.509-SVID renewed on disk, and serves the "
                + "SPIFFE Workload API on a unix socket.",
        subcommands = {EnrollCommand.class, RunCommand.class, StatusCommand.class, TokenCommand.class,
                JwtSvidCommand.class, CommandLine.HelpCommand.class},
        footer = "%nExit codes: see each command's --help (the same list for all) and docs/agent.md.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        lowMemoryDefaults();
        System.exit(commandLine().execute(args));
    }

    /**
     * Keeps the daemon small (docs/agent.md, Measurements): idle broker connections close after 30 s
     * instead of 20 min (each rotation makes a new client), and gRPC uses unpooled buffers, which a
     * socket with a handful of messages an hour does not miss. Set before the classes load.
     */
    static void lowMemoryDefaults() {
        System.setProperty("jdk.httpclient.keepalive.timeout", System.getProperty("jdk.httpclient.keepalive.timeout", "30"));
        System.setProperty("io.grpc.netty.useCustomAllocator", System.getProperty("io.grpc.netty.useCustomAllocator", "false"));
        System.setProperty("io.grpc.netty.shaded.io.netty.allocator.type",
                System.getProperty("io.grpc.netty.shaded.io.netty.allocator.type", "unpooled"));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ib-agent: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (e instanceof StateDir.NotEnrolledException) {
                return ExitCodes.NOT_ENROLLED;
            }
            return e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.ERROR;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
