package loadgen;

/** A scenario that was not measured, and why. */
record Skipped(String scenario, String reason) {
}
