package loadgen;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load generator of scripts/bench.sh (issues 7 and 15): the broker against raw Vault and
 * against step-ca in RA mode on the same Vault, side by side in one run.
 *
 * <pre>
 *   Main [options]                   run the bench (needs the environment bench.sh sets up; see Env)
 *   Main jfr-summary FILE.jfr [TOP]  where a recorded JVM spent its time (used by --profile)
 *   Main render FILE.json [FILE.md]  the markdown report from its JSON (stdout without FILE.md)
 * </pre>
 *
 * Scenarios: (a) raw Vault sign, (p) step-ca sign, (b) broker exchange (StepCa, Enrollment); (c)
 * token issuance vs raw transit sign, (d) introspection (OAuthScenarios); (e) the broker's resident
 * memory at the end (Report). Runner measures; Report writes the JSON and renders the markdown.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("jfr-summary")) {
            JfrSummary.print(Path.of(args[1]), System.out, args.length > 2 ? Integer.parseInt(args[2]) : 25);
            return;
        }
        if (args.length >= 2 && args[0].equals("render")) {
            Path json = Path.of(args[1]);
            String md = Report.render(Util.JSON.readTree(json.toFile()), json.getFileName().toString());
            if (args.length > 2) {
                Files.writeString(Path.of(args[2]), md);
            } else {
                System.out.print(md);
            }
            return;
        }
        new Runner(Options.parse(args), Env.load()).run();
    }
}
