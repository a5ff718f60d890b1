package io.identitybroker.ibagent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ib-agent jwt-svid}: a JWT-SVID for the given audiences, from the broker, on stdout. */
@Command(name = "jwt-svid", mixinStandardHelpOptions = true,
        description = "Print a JWT-SVID (ES256) for the audience(s), issued by the broker for this agent's SPIFFE ID.")
public final class JwtSvidCommand implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--audience", required = true, paramLabel = "A", description = "Audience (repeatable).")
    List<String> audience;

    @Override
    public Integer call() throws Exception {
        StateDir state = dir.state();
        AgentInfo info = state.info();
        try {
            var r = BrokerClient.mtls(info.brokerUrl(), info.caFile(), state.svid()).jwtSvid(info.agentId(), state.secret(), audience);
            System.out.println(r.path("token").asText());
            return ExitCodes.OK;
        } catch (BrokerException e) {
            System.err.println("ib-agent: JWT-SVID refused: " + e.getMessage());
            return ExitCodes.of(e);
        } catch (IOException e) {
            System.err.println("ib-agent: cannot reach the broker at " + info.brokerUrl() + ": " + e);
            return ExitCodes.UNAVAILABLE;
        }
    }
}
