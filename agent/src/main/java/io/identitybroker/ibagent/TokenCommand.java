package io.identitybroker.ibagent;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code ib-agent token}: an OAuth2 access token bound to the agent's certificate (RFC 8705), on stdout. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print a certificate-bound OAuth2 access token (client_credentials over mTLS).",
                "Use it with the agent's certificate, e.g. curl --cert DIR/svid.pem --key DIR/svid_key.pem -H \"Authorization: Bearer $(ib-agent token --dir DIR)\"."})
public final class TokenCommand implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--scope", paramLabel = "S", description = "Space-separated scopes (default: all the agent may have).")
    String scope;

    @Override
    public Integer call() throws Exception {
        StateDir state = dir.state();
        AgentInfo info = state.info();
        try {
            JsonNode r = BrokerClient.mtls(info.brokerUrl(), info.caFile(), state.svid()).accessToken(info.agentId(), scope);
            System.out.println(r.path("access_token").asText());
            return ExitCodes.OK;
        } catch (BrokerException e) {
            System.err.println("ib-agent: token refused: " + e.getMessage());
            return ExitCodes.of(e);
        } catch (IOException e) {
            System.err.println("ib-agent: cannot reach the broker at " + info.brokerUrl() + ": " + e);
            return ExitCodes.UNAVAILABLE;
        }
    }
}
