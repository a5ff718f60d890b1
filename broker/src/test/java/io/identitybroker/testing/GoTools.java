package io.identitybroker.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Third-party Go commands for the tests, built once into the cache by
 * {@code scripts/lib/ensure-go-tool.sh}. Where Go is missing (the script's exit 3) the calling test
 * is skipped with that message; a failed build fails it.
 */
public final class GoTools {
    private GoTools() {
    }

    /**
     * The path of {@code pkg@version}'s binary.
     *
     * @param env extra build environment, e.g. {@code CGO_ENABLED=1} for a command that links C code
     */
    public static Path module(String pkg, String version, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder("bash", TestVault.repoRoot().resolve("scripts/lib/ensure-go-tool.sh").toString(),
                "module", pkg, version).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("building " + pkg + " timed out");
            }
            Assumptions.assumeTrue(p.exitValue() != 3, "Go is not installed: " + pkg + "@" + version + " cannot be built, test skipped");
            if (p.exitValue() != 0) {
                throw new IllegalStateException("building " + pkg + "@" + version + " failed (exit " + p.exitValue() + "), see stderr");
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
