package loadgen;

/** What bench.sh started and where it is (see scripts/bench.sh). */
record Env(String vaultAddr, String brokerUrl, String rootCaFile, String adminToken, String roleId,
           String secretIdFile, String trustDomain, String tenant, long brokerPid, long vaultPid, long clkTck,
           String javaVersion, String vaultVersion, String brokerJavaOpts, String command, String database,
           String brokerJar, String vaultRootToken, String stepCaBin, String stepCaMissing, String workDir, long databasePid) {
    static Env load() {
        return new Env(req("VAULT_ADDR"), req("BENCH_BROKER_URL"), req("IB_ROOT_CA_FILE"), req("IB_ADMIN_TOKEN_ACME"),
                req("BROKER_VAULT_APPROLE_ROLE_ID"), req("BROKER_VAULT_APPROLE_SECRET_ID_FILE"),
                opt("IB_TRUST_DOMAIN", "example.org"), opt("BENCH_TENANT", "acme"),
                Long.parseLong(req("BENCH_BROKER_PID")), Long.parseLong(opt("BENCH_VAULT_PID", "0")),
                Long.parseLong(opt("BENCH_CLK_TCK", "100")), opt("BENCH_JAVA_VERSION", System.getProperty("java.runtime.version")),
                opt("BENCH_VAULT_VERSION", "?"), opt("BENCH_BROKER_JAVA_OPTS", ""), opt("BENCH_COMMAND", "scripts/bench.sh"),
                opt("BENCH_DB_LABEL", "H2 file"), opt("BENCH_BROKER_JAR_LABEL", ""), opt("VAULT_TOKEN", ""),
                opt("BENCH_STEP_CA_BIN", ""), opt("BENCH_STEP_CA_MISSING", "step-ca was not provided (BENCH_STEP_CA_BIN)"),
                opt("BENCH_WORK_DIR", System.getProperty("java.io.tmpdir")), Long.parseLong(opt("BENCH_DB_PID", "0")));
    }

    private static String req(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run this through scripts/bench.sh");
        }
        return v;
    }

    private static String opt(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}

// ------------------------------------------------------------------ results
