package io.identitybroker.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultJson;
import io.identitybroker.vault.VaultConfiguration;
import io.identitybroker.vault.VaultUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public half of the transit signing key, as last read from Vault: every live version
 * (from {@code min_decryption_version}, the oldest transit still verifies, to the latest).
 * Read every {@code key-refresh-interval}, and early when a token names a newer version than the
 * ring knows, at most once per {@code key-refresh-min-interval}: so verification and the JWKS
 * never call Vault per request, and a rotation is picked up within seconds of the first token
 * that carries it. A failed read keeps the last good key set.
 *
 * <p>{@code kid} is {@code <transit key name>-v<version>}, e.g. {@code identity-broker-jwt-v3}.
 */
@Singleton
public class TransitKeyRing implements VerificationKeys {
    /** The schedule: {@code broker.oauth.key-refresh-interval} with its default. */
    private static final String INTERVAL = "${" + OAuthConfigurationProperties.PREFIX + ".key-refresh-interval:"
            + OAuthConfigurationProperties.DEFAULT_KEY_REFRESH_INTERVAL + "}";
    private static final Logger LOG = LoggerFactory.getLogger(TransitKeyRing.class);

    /**
     * One read of the key.
     *
     * @param latestVersion the version transit signs with when none is named
     * @param keys          public key per {@code kid}, oldest version first
     */
    public record KeySet(int latestVersion, Map<String, ECPublicKey> keys, Instant readAt) {
        public static final KeySet EMPTY = new KeySet(0, Map.of(), Instant.EPOCH);
    }

    private final BrokerVault vault;
    private final TransitKeySettings settings;
    private final VaultConfiguration vaultProperties;
    private final Clock clock;
    private final Pattern kidPattern;
    private final Counter reads;
    private volatile KeySet current = KeySet.EMPTY;
    private volatile Instant lastAttempt = Instant.EPOCH;
    /** When Vault created the latest version, as last read; null until read or when Vault does not say. */
    private volatile Instant latestCreatedAt;

    /** The access-token key ({@code broker.oauth.transit-*}), the bean the OAuth endpoints use. */
    @Inject
    public TransitKeyRing(BrokerVault vault, OAuthConfiguration properties, VaultConfiguration vaultProperties, Clock clock,
                          MeterRegistry metrics) {
        this(vault, properties.accessTokenKey(), vaultProperties, clock, metrics);
    }

    /** A ring for another transit key; its owner refreshes it periodically (this is then not a scheduled bean). */
    public TransitKeyRing(BrokerVault vault, TransitKeySettings settings, VaultConfiguration vaultProperties, Clock clock,
                          MeterRegistry metrics) {
        this.vault = vault;
        this.vaultProperties = vaultProperties;
        Gauge.builder(settings.metricPrefix() + ".key.age", this, TransitKeyRing::latestVersionAgeSeconds)
                .description("seconds since the latest key version was created (as last read; NaN before)")
                .baseUnit("seconds").register(metrics);
        this.reads = Counter.builder(settings.metricPrefix() + ".key.reads").description("reads of the signing key's public versions")
                .register(metrics);
        this.settings = settings;
        this.clock = clock;
        this.kidPattern = Pattern.compile(Pattern.quote(settings.key()) + "-v([1-9][0-9]{0,8})");
    }

    /** The {@code kid} of a transit key version. */
    public String kid(int version) {
        return settings.key() + "-v" + version;
    }

    /**
     * The current key set, read from Vault first if it was never read. While Vault has never
     * answered, reads are still rate-limited: an outage must not turn every request into a Vault call.
     */
    public KeySet keySet() {
        KeySet keys = current;
        if (keys.latestVersion() > 0) {
            return keys;
        }
        keys = refreshUnlessRecent();
        if (keys.latestVersion() == 0) {
            throw new VaultUnavailableException("The " + settings.purpose() + " keys could not be read from Vault yet; try again later.",
                    vaultProperties.getRetryAfter(), null);
        }
        return keys;
    }

    /** The key set as last read, without ever calling Vault (empty before the first successful read). */
    public KeySet current() {
        return current;
    }

    /** Reads the key unless a read was attempted within {@code key-refresh-min-interval}; concurrent callers share one read. */
    private synchronized KeySet refreshUnlessRecent() {
        if (clock.instant().isBefore(lastAttempt.plus(settings.keyRefreshMinInterval()))) {
            return current;
        }
        return refresh();
    }

    /** Reads the key from Vault now; Vault failures propagate (as 503) to the caller. */
    public synchronized KeySet refresh() {
        lastAttempt = clock.instant();
        reads.increment();
        String path = settings.mount() + "/keys/" + settings.key();
        JsonNode data = vault.call("transit key read", true, v -> VaultJson.data(v.logical().read(path)));
        KeySet keys = parse(data);
        latestCreatedAt = createdAt(data, keys.latestVersion());
        if (keys.latestVersion() != current.latestVersion() || !keys.keys().keySet().equals(current.keys().keySet())) {
            LOG.info("Transit keys for {}: {} (latest v{})", settings.purpose(), keys.keys().keySet(), keys.latestVersion());
        }
        current = keys;
        return keys;
    }

    /** The periodic read; a failure keeps the previous keys and is retried at the next tick. */
    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    public void refreshPeriodically() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Could not re-read the {} keys ({}); keeping the previous ones", settings.purpose(), e.getClass().getSimpleName());
        }
    }

    /**
     * The key a token names. A well-formed {@code kid} of a version newer than the ring knows
     * triggers one rate-limited read; any other unknown {@code kid} is simply unknown.
     */
    @Override
    public Optional<ECPublicKey> key(String kid) {
        KeySet keys = keySet();
        ECPublicKey key = keys.keys().get(kid);
        if (key != null) {
            return Optional.of(key);
        }
        Matcher m = kidPattern.matcher(kid);
        if (!m.matches() || Integer.parseInt(m.group(1)) <= keys.latestVersion()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(refreshUnlessRecent().keys().get(kid));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The JWKS document: one EC JWK per live version, newest first. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> list = new ArrayList<>();
        keySet().keys().forEach((kid, key) -> list.add(0, EcJwk.toJwk(key, kid)));
        return Map.of("keys", list);
    }

    private double latestVersionAgeSeconds() {
        Instant created = latestCreatedAt;
        return created == null ? Double.NaN : Duration.between(created, clock.instant()).toMillis() / 1000.0;
    }

    private static Instant createdAt(JsonNode data, int version) {
        String text = data.path("keys").path(Integer.toString(version)).path("creation_time").asText("");
        try {
            return text.isEmpty() ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private KeySet parse(JsonNode data) {
        if (!"ecdsa-p256".equals(data.path("type").asText())) {
            throw new IllegalStateException("transit key " + settings.key() + " is not ecdsa-p256");
        }
        int latest = data.path("latest_version").asInt(0);
        // Versions below min_decryption_version no longer verify in transit; below min_available_version they are gone.
        int oldest = Math.max(1, Math.max(data.path("min_decryption_version").asInt(1), data.path("min_available_version").asInt(0)));
        TreeMap<Integer, ECPublicKey> byVersion = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.path("keys").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int version = Integer.parseInt(e.getKey());
            if (version >= oldest && version <= latest && e.getValue().path("public_key").isTextual()) {
                byVersion.put(version, EcJwk.fromPem(e.getValue().path("public_key").asText()));
            }
        }
        if (!byVersion.containsKey(latest)) {
            throw new IllegalStateException("transit key " + settings.key() + " has no public key for its latest version");
        }
        Map<String, ECPublicKey> keys = new LinkedHashMap<>();
        byVersion.forEach((version, key) -> keys.put(kid(version), key));
        return new KeySet(latest, java.util.Collections.unmodifiableMap(keys), clock.instant());
    }
}
