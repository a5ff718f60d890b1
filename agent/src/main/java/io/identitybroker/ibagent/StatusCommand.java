package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ib-agent status}: what is on disk and what the daemon last reported; reads only local files. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the identity, its expiry, the next renewal, the last error and whether the daemon runs.",
                "Exits 0 when the identity is valid and the daemon runs, 7 when no daemon runs, 4 expired, 5 revoked, 8 not enrolled."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StateDir state = dir.state();
        AgentInfo info = state.info();
        Svid svid = state.svid();
        boolean running = state.daemonRunning();
        Optional<DaemonStatus> daemon = state.status();
        boolean expired = !Instant.now().isBefore(svid.notAfter());
        boolean revoked = daemon.map(d -> DaemonStatus.REVOKED.equals(d.state())).orElse(false);
        String condition = expired ? "expired" : revoked ? "revoked" : "valid";

        ObjectNode out = StateDir.JSON.createObjectNode();
        out.put("spiffe_id", info.spiffeId());
        out.put("agent_id", info.agentId());
        out.put("tenant", info.tenant());
        out.put("broker_url", info.brokerUrl());
        out.put("serial_number", svid.serial());
        out.put("not_after", svid.notAfter().toString());
        out.put("identity", condition);
        out.put("key_matches_certificate", svid.keyMatches());
        out.put("daemon_running", running);
        daemon.ifPresent(d -> {
            out.put("daemon_state", running ? d.state() : (DaemonStatus.RUNNING.equals(d.state())
                    || DaemonStatus.RETRYING.equals(d.state()) ? DaemonStatus.STOPPED : d.state()));
            if (running && d.nextRenewal() != null) {
                out.put("next_renewal", d.nextRenewal().toString());
            }
            out.put("socket", d.socket());
            out.put("rotations", d.rotations());
            if (d.lastError() != null) {
                out.put("last_error", d.lastError());
                out.put("last_error_at", d.lastErrorAt().toString());
            }
        });
        if (json) {
            System.out.println(StateDir.JSON.writeValueAsString(out));
        } else {
            out.fields().forEachRemaining(e -> System.out.printf("%-24s %s%n", e.getKey() + ":", e.getValue().asText()));
            if (expired) {
                System.out.println("The identity expired: get a new enrollment token and run 'ib-agent enroll --force'.");
            }
        }
        if (expired) {
            return ExitCodes.EXPIRED;
        }
        if (revoked) {
            return ExitCodes.REVOKED;
        }
        return running ? ExitCodes.OK : ExitCodes.NOT_RUNNING;
    }
}
