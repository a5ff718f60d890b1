package io.identitybroker.ibagent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ib-agent token}: an OAuth2 access token bound to the agent's certificate (RFC 8705), on stdout. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print a certificate-bound OAuth2 access token (client_credentials over mTLS).",
                "Use it with the agent's certificate, e.g. curl --cert DIR/svid.pem --key DIR/svid_key.pem"
                        + " -H \"Authorization: Bearer $(ib-agent token --dir DIR)\"."})
public final class TokenCommand implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--scope", paramLabel = "S", description = "Space-separated scopes (default: all the agent may have).")
    String scope;

    @Override
    public Integer call() throws Exception {
        StateDir state = dir.state();
        AgentInfo info = state.info();
        Svid svid = state.svid();
        return BrokerCall.print("token", info.brokerUrl(), () -> BrokerClient.mtls(info.brokerUrl(), info.caFile(), svid)
                .accessToken(info.agentId(), scope).path("access_token").asText());
    }
}
