package io.identitybroker.ibagent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --dir} and the exit-code list, shared by every subcommand. */
@Command(exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:success", "1:unexpected error (I/O, unreadable files)", "2:usage error",
        "3:broker unreachable or unavailable; retry later", "4:identity expired; enroll again with a new token",
        "5:agent or secret revoked; enroll again with a new token",
        "6:the broker refused the request (e.g. invalid token)", "7:(status) valid identity, no daemon running",
        "8:not enrolled (no identity in --dir)", "143:(run) stopped by SIGTERM"})
public final class DirOption {
    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "State directory (created 0700): svid.pem, svid_key.pem, svid_bundle.pem, agent_secret, agent.json.")
    Path dir;

    public StateDir state() {
        return new StateDir(dir);
    }
}
