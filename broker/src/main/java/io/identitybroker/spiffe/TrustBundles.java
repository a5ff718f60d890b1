package io.identitybroker.spiffe;

import io.identitybroker.oauth.TransitKeyRing;
import io.identitybroker.pki.PkiBackend;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantChanged;
import io.identitybroker.tenant.TenantService;
import io.identitybroker.vault.VaultConfiguration;
import io.identitybroker.vault.VaultUnavailableException;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The published bundle of every trust domain that has an active tenant, computed from memory:
 * a request never calls Vault. Each active tenant's issuing chain is read from Vault (through
 * {@link PkiBackend}) at start-up, every {@code broker.spiffe.bundle.refresh-interval}, after a
 * tenant is created or changed (once committed), and at most every {@value #MISS_REFRESH_SECONDS} s
 * when a trust domain not yet published is asked for. The root of a chain is its last certificate
 * (Vault's {@code ca_chain} ends at the self-signed root when the mount holds it).
 * <p>
 * Failures keep what was published: a tenant whose chain cannot be read keeps its last chain, and a
 * trust domain whose sequence cannot be stored keeps its last bundle. A tenant whose chain was never
 * read contributes no root until it is; a trust domain none of whose tenants' chains was ever read
 * is not published (503), so a broker started during a Vault outage serves no empty bundle.
 */
@Singleton
public class TrustBundles {
    /** The schedule: {@code broker.spiffe.bundle.refresh-interval} with its default. */
    private static final String INTERVAL = "${" + BundleConfigurationProperties.PREFIX + ".refresh-interval:"
            + BundleConfigurationProperties.DEFAULT_REFRESH_INTERVAL + "}";
    private static final Logger LOG = LoggerFactory.getLogger(TrustBundles.class);
    static final int MISS_REFRESH_SECONDS = 2;

    private final PkiBackend pki;
    private final TenantService tenants;
    private final JwtSvidKeys jwtKeys;
    private final TrustBundleSequences sequences;
    private final VaultConfiguration vaultProperties;
    private final Clock clock;
    /** tenant id -> its issuing chain as last read (active tenants only). */
    private final Map<String, List<X509Certificate>> chains = new ConcurrentHashMap<>();
    /**
     * The framework's I/O pool; {@link #refresh(boolean)} is synchronized, so refreshes never overlap.
     * The pool carries the submitter's context along, so each task runs in an empty one instead.
     */
    private final ExecutorService background;
    private volatile boolean closed;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicBoolean rereadQueued = new AtomicBoolean();
    private volatile Map<String, TrustBundle> published = Map.of();
    /** Trust domains with an active tenant that could not be published yet. */
    private volatile Set<String> pending = Set.of();
    private volatile Instant lastRefresh = Instant.EPOCH;
    /** The JWT key set the published bundles carry. */
    private volatile TransitKeyRing.KeySet builtWith = TransitKeyRing.KeySet.EMPTY;

    public TrustBundles(PkiBackend pki, TenantService tenants, JwtSvidKeys jwtKeys, TrustBundleSequences sequences,
                        VaultConfiguration vaultProperties, Clock clock, @Named(TaskExecutors.IO) ExecutorService background) {
        this.pki = pki;
        this.background = background;
        this.tenants = tenants;
        this.jwtKeys = jwtKeys;
        this.sequences = sequences;
        this.vaultProperties = vaultProperties;
        this.clock = clock;
    }

    /**
     * The bundle of {@code trustDomain}, or empty when no active tenant is in it.
     *
     * @throws VaultUnavailableException when it has active tenants but their roots were never read
     */
    public Optional<TrustBundle> bundle(String trustDomain) {
        if (!jwtKeys.ring().current().keys().keySet().equals(builtWith.keys().keySet())) {
            // The signer met a rotated key (or the ring re-read it): publish the new kid promptly.
            refreshInBackground(false);
        }
        TrustBundle bundle = published.get(trustDomain);
        if (bundle == null) {
            refreshUnlessRecent();
            bundle = published.get(trustDomain);
        }
        if (bundle == null && pending.contains(trustDomain)) {
            throw new VaultUnavailableException("The trust domain's CA certificates could not be read from Vault yet; try again.",
                    vaultProperties.getRetryAfter(), null);
        }
        return Optional.ofNullable(bundle);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        refreshInBackground(true);
    }

    /** After the change committed, so the refresh (another thread, another connection) sees it. */
    @TransactionalEventListener
    void onTenantChanged(TenantChanged event) {
        refreshInBackground(true);
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void scheduledRefresh() {
        refreshQuietly(true);
    }

    /** Queues one refresh unless one is already waiting; a waiting one re-reads the chains if any caller asked. */
    void refreshInBackground(boolean rereadChains) {
        if (rereadChains) {
            rereadQueued.set(true);
        }
        if (queued.compareAndSet(false, true)) {
            // Outside the caller's context: a committed transaction's connection must not follow the refresh.
            background.execute(PropagatedContext.empty().wrap(() -> {
                queued.set(false);
                if (closed) {
                    return;
                }
                refreshQuietly(rereadQueued.getAndSet(false));
            }));
        }
    }

    /** For a trust domain not published: concurrent misses share one refresh, and there is one per 2 s at most. */
    private synchronized void refreshUnlessRecent() {
        if (clock.instant().isAfter(lastRefresh.plusSeconds(MISS_REFRESH_SECONDS))) {
            refreshQuietly(false);
        }
    }

    private void refreshQuietly(boolean rereadChains) {
        try {
            refresh(rereadChains);
        } catch (RuntimeException e) {
            LOG.warn("Trust bundle refresh failed ({}); keeping the published bundles", e.getClass().getSimpleName());
        }
    }

    /**
     * Republishes each trust domain whose content changed.
     *
     * @param rereadChains read every active tenant's chain again; otherwise only chains never read
     *                     (a request for an unknown trust domain must not cost a Vault call per tenant)
     */
    public synchronized void refresh(boolean rereadChains) {
        lastRefresh = clock.instant();
        Map<String, List<Tenant>> byDomain = new TreeMap<>();
        for (Tenant tenant : tenants.all()) {
            if (tenant.isActive()) {
                byDomain.computeIfAbsent(tenant.trustDomain(), td -> new ArrayList<>()).add(tenant);
                if (rereadChains || !chains.containsKey(tenant.id())) {
                    load(tenant);
                }
            }
        }
        chains.keySet().retainAll(byDomain.values().stream().flatMap(List::stream).map(Tenant::id).toList());
        TransitKeyRing.KeySet keySet = jwtKeySet();
        Map<String, ECPublicKey> jwt = keySet == null ? Map.of() : keySet.keys();
        Map<String, TrustBundle> next = new HashMap<>();
        Set<String> waiting = new java.util.HashSet<>();
        byDomain.forEach((td, members) -> {
            TrustBundle previous = published.get(td);
            List<X509Certificate> roots = roots(members);
            if (roots == null) {
                if (previous != null) {
                    next.put(td, previous);
                } else {
                    waiting.add(td);
                }
                return;
            }
            TrustBundle candidate = TrustBundle.unnumbered(td, roots, jwt);
            if (previous != null && previous.contentSha256().equals(candidate.contentSha256())) {
                next.put(td, previous);
                return;
            }
            try {
                next.put(td, candidate.numbered(sequences.sequenceFor(td, candidate.contentSha256())));
            } catch (RuntimeException e) {
                LOG.warn("Cannot number the bundle of {} ({}); keeping the published one", td, e.getClass().getSimpleName());
                if (previous != null) {
                    next.put(td, previous);
                } else {
                    waiting.add(td);
                }
            }
        });
        published = Map.copyOf(next);
        pending = Set.copyOf(waiting);
        builtWith = keySet == null ? jwtKeys.ring().current() : keySet;
    }

    /**
     * The distinct roots of these tenants whose chain was ever read, in a stable order; null when
     * none was. A tenant whose chain Vault never gave (its mount gone, outside the policy) leaves
     * its root out rather than holding back its trust domain's other roots.
     */
    private List<X509Certificate> roots(List<Tenant> members) {
        Map<String, X509Certificate> roots = new TreeMap<>();
        for (Tenant t : members) {
            List<X509Certificate> chain = chains.get(t.id());
            if (chain != null) {
                X509Certificate root = chain.get(chain.size() - 1);
                roots.put(java.util.HexFormat.of().formatHex(TrustBundle.der(root)), root);
            }
        }
        return roots.isEmpty() ? null : List.copyOf(new LinkedHashMap<>(roots).values());
    }

    private void load(Tenant tenant) {
        try {
            List<X509Certificate> chain = pki.caChain(tenant.pkiMount());
            if (chain.isEmpty()) {
                LOG.warn("Tenant {} has no CA chain on {}; its root is not in the bundle", tenant.id(), tenant.pkiMount());
                return;
            }
            chains.put(tenant.id(), List.copyOf(chain));
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the CA chain of tenant {} ({}); keeping what was loaded", tenant.id(),
                    e.getClass().getSimpleName());
        }
    }

    /** The JWT-SVID keys as the ring last read them; null when Vault never answered (the roots still publish). */
    private TransitKeyRing.KeySet jwtKeySet() {
        try {
            return jwtKeys.ring().keySet();
        } catch (RuntimeException e) {
            LOG.warn("JWT-SVID keys unavailable ({}); bundles carry no jwt-svid keys for now", e.getClass().getSimpleName());
            return null;
        }
    }

    /** The pool is the framework's: shutting down only stops this bean from starting refreshes. */
    @PreDestroy
    void close() {
        closed = true;
    }
}
