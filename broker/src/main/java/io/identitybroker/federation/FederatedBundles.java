package io.identitybroker.federation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current bundle of every declared foreign trust domain, in memory, one entry per trust
 * domain (bundles never mix: a lookup names its trust domain and gets that domain's bundle only).
 * <p>
 * Each replica fetches each endpoint itself, at the bundle's {@code spiffe_refresh_hint} clamped
 * to {@code broker.federation.min/max-refresh-interval}. A failed fetch (endpoint down, bad TLS,
 * bad bundle, sequence number going backwards) keeps the last good bundle, is logged and counted
 * ({@code broker.federation.bundle.refresh.failures}) and retried with a doubling back-off; the
 * gauge {@code broker.federation.bundle.age.seconds} says how long ago each trust domain was last
 * refreshed, and once that exceeds {@code broker.federation.max-bundle-age} the bundle is stale
 * and client authentication against it is refused. A static bundle never goes stale.
 */
@Singleton
public class FederatedBundles {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedBundles.class);
    static final String AGE_GAUGE = "broker.federation.bundle.age.seconds";
    static final String FAILURES = "broker.federation.bundle.refresh.failures";

    private final TrustDomainRepository repository;
    private final BundleEndpointClient client;
    private final FederationConfiguration properties;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Instant nextConfigSync = Instant.MIN;

    /** What a lookup finds. */
    public sealed interface Lookup permits Usable, Unavailable {
    }

    /** A bundle that may be used now. */
    public record Usable(SpiffeBundle bundle) implements Lookup {
    }

    /** No usable bundle: {@code reason} is {@code unknown_trust_domain}, {@code bundle_unavailable} or {@code bundle_stale}. */
    public record Unavailable(String reason) implements Lookup {
    }

    /** The state of one trust domain, as the API shows it. */
    public record Status(String trustDomain, Instant lastRefresh, Long sequence, Instant nextRefresh, String lastError,
                         int x509Authorities, int jwtAuthorities, boolean stale) {
    }

    public FederatedBundles(TrustDomainRepository repository, BundleEndpointClient client, FederationConfiguration properties,
                            Clock clock, MeterRegistry metrics) {
        this.repository = repository;
        this.client = client;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the declared trust domains at startup: {}", e.getClass().getSimpleName());
        }
    }

    /** Every second: re-read the declarations when due, then fetch every bundle whose refresh is due. */
    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void tick() {
        try {
            if (!clock.instant().isBefore(nextConfigSync)) {
                sync();
            }
            for (Entry e : entries.values()) {
                if (e.due(clock.instant())) {
                    e.refresh();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Federation refresh round failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Re-reads the declarations from the database: adds new trust domains, drops removed ones, resets changed ones. */
    public void sync() {
        List<TrustDomain> declared = repository.allByName();
        Set<String> names = new HashSet<>();
        for (TrustDomain td : declared) {
            names.add(td.name());
            Entry existing = entries.get(td.name());
            if (existing == null || !existing.config.updatedAt().equals(td.updatedAt())) {
                Entry fresh = new Entry(td);
                entries.put(td.name(), fresh);
                if (existing == null) {
                    Gauge.builder(AGE_GAUGE, this, b -> b.ageSeconds(td.name()))
                            .description("seconds since the trust domain's bundle was last refreshed successfully")
                            .tag("trust_domain", td.name()).register(metrics);
                }
                fresh.refresh();
            }
        }
        for (String name : Set.copyOf(entries.keySet())) {
            if (!names.contains(name)) {
                entries.remove(name);
                metrics.find(AGE_GAUGE).tag("trust_domain", name).meters().forEach(metrics::remove);
            }
        }
        nextConfigSync = clock.instant().plus(properties.getConfigSyncInterval());
    }

    /** The trust domain's bundle if it may be used now. */
    public Lookup lookup(String trustDomain) {
        Entry e = entries.get(trustDomain);
        if (e == null) {
            return new Unavailable("unknown_trust_domain");
        }
        SpiffeBundle bundle = e.lastGood;
        if (bundle == null) {
            return new Unavailable("bundle_unavailable");
        }
        if (e.stale(clock.instant())) {
            return new Unavailable("bundle_stale");
        }
        return new Usable(bundle);
    }

    public Optional<Status> status(String trustDomain) {
        Entry e = entries.get(trustDomain);
        if (e == null) {
            return Optional.empty();
        }
        SpiffeBundle b = e.lastGood;
        return Optional.of(new Status(trustDomain, e.lastSuccess, b == null ? null : b.sequence(),
                // Before its first attempt a domain is due at once (Instant.MIN): report no time yet.
                e.config.isStatic() || e.nextAttempt.equals(Instant.MIN) ? null : e.nextAttempt, e.lastError,
                b == null ? 0 : b.x509Authorities().size(), b == null ? 0 : b.jwtAuthorities().size(),
                b == null || e.stale(clock.instant())));
    }

    /** Forces an immediate fetch (the refresh API); returns the new status. */
    public Optional<Status> refreshNow(String trustDomain) {
        if (!entries.containsKey(trustDomain)) {
            sync(); // declared through another replica since this one last looked
        }
        Entry e = entries.get(trustDomain);
        if (e != null) {
            e.refresh();
        }
        return status(trustDomain);
    }

    private double ageSeconds(String trustDomain) {
        Entry e = entries.get(trustDomain);
        if (e == null || e.lastSuccess == null) {
            return Double.NaN;
        }
        return e.config.isStatic() ? 0 : Duration.between(e.lastSuccess, clock.instant()).toMillis() / 1000.0;
    }

    /** One trust domain's bundle state; refreshes are serialised on the entry. */
    private final class Entry {
        final TrustDomain config;
        volatile SpiffeBundle lastGood;
        volatile Instant lastSuccess;
        volatile Instant nextAttempt = Instant.MIN;
        volatile String lastError;
        int failures;

        Entry(TrustDomain config) {
            this.config = config;
        }

        boolean due(Instant now) {
            return !config.isStatic() && !now.isBefore(nextAttempt);
        }

        boolean stale(Instant now) {
            return !config.isStatic() && (lastSuccess == null
                    || Duration.between(lastSuccess, now).compareTo(properties.getMaxBundleAge()) > 0);
        }

        synchronized void refresh() {
            Instant now = clock.instant();
            if (config.isStatic()) {
                if (lastGood == null) {
                    lastGood = SpiffeBundle.parse(config.name(), config.staticBundle());
                    lastSuccess = now;
                }
                return;
            }
            try {
                SpiffeBundle previous = lastGood;
                SpiffeBundle trust = previous != null || config.staticBundle() == null ? previous
                        : SpiffeBundle.parse(config.name(), config.staticBundle()); // https_spiffe's bootstrap
                SpiffeBundle fetched = client.fetch(config, trust);
                if (previous != null && previous.sequence() != null && fetched.sequence() != null
                        && fetched.sequence() < previous.sequence()) {
                    throw new BundleEndpointClient.FetchFailed("sequence_rollback",
                            "the bundle's spiffe_sequence went backwards");
                }
                lastGood = fetched;
                lastSuccess = now;
                lastError = null;
                failures = 0;
                nextAttempt = now.plus(properties.refreshAfter(fetched.refreshHint()));
            } catch (BundleEndpointClient.FetchFailed e) {
                failures++;
                lastError = e.reason();
                Duration backoff = properties.getRetryInterval().multipliedBy(1L << Math.min(failures - 1, 6));
                Duration cap = properties.refreshAfter(lastGood == null ? null : lastGood.refreshHint());
                nextAttempt = now.plus(backoff.compareTo(cap) > 0 ? cap : backoff);
                Counter.builder(FAILURES).description("failed bundle refreshes").tag("trust_domain", config.name())
                        .tag("reason", e.reason()).register(metrics).increment();
                LOG.warn("Bundle refresh of trust domain {} failed ({}): {}; keeping the last good bundle{}",
                        config.name(), e.reason(), e.getMessage(), lastGood == null ? " (none yet)" : "");
            } catch (RuntimeException e) {
                failures++;
                lastError = "internal_error";
                nextAttempt = now.plus(properties.getRetryInterval());
                LOG.warn("Bundle refresh of trust domain {} failed: {}", config.name(), e.getClass().getSimpleName());
            }
        }
    }
}
