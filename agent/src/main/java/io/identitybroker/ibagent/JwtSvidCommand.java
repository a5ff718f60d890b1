package io.identitybroker.ibagent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
        Svid svid = state.svid();
        BrokerClient client = BrokerClient.mtls(info.brokerUrl(), info.caFile(), svid);
        return BrokerCall.print("JWT-SVID", info.brokerUrl(), () -> {
            String secret = state.secret();
            try {
                return client.jwtSvid(info.agentId(), secret, audience).path("token").asText();
            } catch (BrokerException e) {
                // A running daemon may have rotated the secret between our read and the request: once more with the new one.
                if ("invalid_agent_credentials".equals(e.type()) && !secret.equals(state.secret())) {
                    return client.jwtSvid(info.agentId(), state.secret(), audience).path("token").asText();
                }
                throw e;
            }
        });
    }
}
