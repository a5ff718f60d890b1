package io.identitybroker.ibagent;

import io.identitybroker.testing.TestVault;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Go programs built once by scripts/lib/ensure-go-tool.sh; a test that needs one is skipped, with the reason, where Go is missing. */
final class GoTools {
    private GoTools() {
    }

    static Path spiffeHelper() {
        return ensure("module", "github.com/spiffe/spiffe-helper/cmd/spiffe-helper", "v0.11.0");
    }

    static Path probe() {
        return ensure("dir", TestVault.repoRoot().resolve("agent/src/test/go/spiffe-probe").toString());
    }

    private static Path ensure(String... args) {
        try {
            Path root = TestVault.repoRoot();
            Path log = Files.createTempFile("ensure-go-tool-", ".log");
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("bash", root.resolve("scripts/lib/ensure-go-tool.sh").toString()));
            cmd.addAll(java.util.List.of(args));
            Path out = Files.createTempFile("ensure-go-tool-", ".out");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("ensure-go-tool.sh timed out");
            }
            Assumptions.assumeTrue(p.exitValue() != 3, "SKIPPED: Go is not installed, so " + args[1] + " cannot be built");
            if (p.exitValue() != 0) {
                throw new AssertionError("ensure-go-tool.sh " + String.join(" ", args) + " failed:\n" + Files.readString(log));
            }
            return Path.of(Files.readString(out).strip());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
