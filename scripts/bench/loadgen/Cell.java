package loadgen;

import java.util.Arrays;

/**
 * One measured cell: a scenario at one concurrency, over all its rounds. CPU figures are ms per
 * request of each process (NaN: not measured; the peer is step-ca, measured only in (p); the database is a
 * separate server's, measured only with {@code --db postgres}: an embedded H2 is inside the broker's figure).
 */
record Cell(String scenario, String target, int concurrency, long ok, long errors, double seconds,
            double throughput, double p50Ms, double p99Ms, double brokerCpuMsPerReq, double vaultCpuMsPerReq,
            double peerCpuMsPerReq, double databaseCpuMsPerReq, double loadgenCpuMsPerReq, double otherCores, String brokerThreads, String note,
            double[] roundRates, Warmup warmup) {
    /** (max - min) / mean of the rounds' throughput: how steady the cell was within this run. */
    double spread() {
        if (roundRates.length < 2) {
            return Double.NaN;
        }
        double mean = Arrays.stream(roundRates).average().orElse(Double.NaN);
        return (Arrays.stream(roundRates).max().orElse(0) - Arrays.stream(roundRates).min().orElse(0)) / mean;
    }

    Cell withWarmup(Warmup w) {
        return new Cell(scenario, target, concurrency, ok, errors, seconds, throughput, p50Ms, p99Ms, brokerCpuMsPerReq,
                vaultCpuMsPerReq, peerCpuMsPerReq, databaseCpuMsPerReq, loadgenCpuMsPerReq, otherCores, brokerThreads, note, roundRates, w);
    }

    /**
     * How the cell warmed up: requests and seconds before measuring, whether the broker's CPU per
     * request had settled (two windows in a row within 10 % and its JIT under a tenth of a core), and
     * the last warm-up window's broker CPU per request.
     */
    record Warmup(long requests, double seconds, boolean settled, double lastBrokerCpuMsPerReq) {
    }
}
