package io.identitybroker.vault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;

/**
 * Counts the broker's own Vault calls: {@code broker.vault.calls} (timer with a fixed histogram,
 * tags {@code operation} and {@code outcome}) and {@code broker.vault.errors} (tags
 * {@code operation} and {@code kind}: {@code unreachable}, {@code sealed}, {@code denied},
 * {@code unavailable}, {@code not_found}, {@code rejected}). Operations are the fixed names callers pass to
 * {@link BrokerVault#call}, so the label set stays bounded. Recording never fails a call.
 */
@Singleton
public class VaultMetrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    public VaultMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One finished attempt; {@code status} is the HTTP status of a failure (0: no answer), ignored on success. */
    void record(String operation, long nanos, boolean success, int status) {
        String op = label(operation);
        Timer.builder("broker.vault.calls").description("Vault calls made with the broker's token, by operation")
                .tag("operation", op).tag("outcome", success ? "success" : "error")
                .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.ofNanos(nanos));
        if (!success) {
            Counter.builder("broker.vault.errors").description("failed Vault calls by kind")
                    .tag("operation", op).tag("kind", kind(status)).register(registry).increment();
        }
    }

    /** Vault answers 503 while sealed (and on a standby without forwarding), 403 for a refused token. */
    static String kind(int status) {
        return switch (status) {
            case 0 -> "unreachable";
            case 503 -> "sealed";
            case 403 -> "denied";
            // e.g. a read of an audit anchor not written yet: often expected by the caller
            case 404 -> "not_found";
            default -> status == 429 || status >= 500 ? "unavailable" : "rejected";
        };
    }

    static String label(String operation) {
        return operation.toLowerCase(Locale.ROOT).replace(' ', '_');
    }
}
