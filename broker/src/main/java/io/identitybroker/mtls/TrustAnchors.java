package io.identitybroker.mtls;

import io.identitybroker.pki.PkiBackend;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantChanged;
import io.identitybroker.tenant.TenantService;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The anchors agent certificates may chain to: each active tenant's issuing CA (the first
 * certificate of its mount's {@code cert/ca_chain}, read from Vault) and the certificates of
 * {@code broker.agent.mtls.ca-file}.
 * <p>
 * Only the tenant's <em>issuing</em> CA is an anchor, never the root above it: every tenant's
 * intermediate chains to the same root, and anchoring at the root would let one tenant's CA vouch
 * for another tenant's identities. Refreshed every {@code broker.agent.mtls.anchor-refresh}
 * (default 5 min), at start-up, when a tenant is created or changed, and on first use of a tenant
 * not yet loaded; no restart is needed. A failed refresh keeps the previous anchors.
 */
@Singleton
public class TrustAnchors {
    /** The schedule: {@code broker.agent.mtls.anchor-refresh} with its default. */
    private static final String INTERVAL = "${" + MtlsConfigurationProperties.PREFIX + ".anchor-refresh:"
            + MtlsConfigurationProperties.DEFAULT_ANCHOR_REFRESH + "}";
    private static final Logger LOG = LoggerFactory.getLogger(TrustAnchors.class);

    /** One anchor certificate and who it vouches for. */
    public record Anchor(X509Certificate certificate, Set<String> tenants, boolean external) {
    }

    private final PkiBackend pki;
    private final TenantService tenants;
    private final MtlsConfiguration properties;
    /** tenant id -> its issuing CA; only active tenants. */
    private final Map<String, X509Certificate> byTenant = new ConcurrentHashMap<>();
    private volatile List<X509Certificate> external;
    /** The framework's I/O pool, for the first load. */
    private final ExecutorService background;

    public TrustAnchors(PkiBackend pki, TenantService tenants, MtlsConfiguration properties,
                        @Named(TaskExecutors.IO) ExecutorService background) {
        this.pki = pki;
        this.background = background;
        this.tenants = tenants;
        this.properties = properties;
        // A configured but unreadable CA file is a configuration error: refuse to start.
        this.external = properties.hasCaFile() ? readCaFile(Path.of(properties.getCaFile())) : List.of();
    }

    /** Every anchor, with {@code tenant}'s loaded first if it is not yet. */
    public List<Anchor> anchorsFor(Tenant tenant) {
        if (tenant != null && tenant.isActive() && !byTenant.containsKey(tenant.id())) {
            load(tenant);
        }
        return snapshot();
    }

    List<Anchor> snapshot() {
        List<Anchor> anchors = new ArrayList<>();
        Map<X509Certificate, Set<String>> owners = new java.util.HashMap<>();
        byTenant.forEach((tenant, ca) -> owners.computeIfAbsent(ca, c -> new HashSet<>()).add(tenant));
        owners.forEach((ca, ids) -> anchors.add(new Anchor(ca, Set.copyOf(ids), external.contains(ca))));
        for (X509Certificate ca : external) {
            if (!owners.containsKey(ca)) {
                anchors.add(new Anchor(ca, Set.of(), true));
            }
        }
        return anchors;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        // In the background: the broker starts while Vault is down, like its Vault login.
        background.execute(PropagatedContext.empty().wrap(this::refreshQuietly));
    }

    @EventListener
    void onTenantChanged(TenantChanged event) {
        Tenant tenant = event.tenant();
        if (!tenant.isActive()) {
            byTenant.remove(tenant.id());
            return;
        }
        load(tenant);
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void scheduledRefresh() {
        refreshQuietly();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Trust anchor refresh failed ({}); keeping the previous anchors", e.getClass().getSimpleName());
        }
    }

    /** Reads every active tenant's CA and the CA file again. */
    public void refresh() {
        Set<String> active = new HashSet<>();
        for (Tenant tenant : tenants.all()) {
            if (tenant.isActive()) {
                active.add(tenant.id());
                load(tenant);
            }
        }
        byTenant.keySet().retainAll(active);
        if (properties.hasCaFile()) {
            try {
                external = readCaFile(Path.of(properties.getCaFile()));
            } catch (IllegalStateException e) {
                LOG.error("Cannot re-read broker.agent.mtls.ca-file; keeping the previous anchors: {}", e.getMessage());
            }
        }
    }

    private void load(Tenant tenant) {
        try {
            List<X509Certificate> chain = pki.caChain(tenant.pkiMount());
            if (chain.isEmpty()) {
                LOG.warn("Tenant {} has no CA chain on {}", tenant.id(), tenant.pkiMount());
                return;
            }
            byTenant.put(tenant.id(), chain.get(0));
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the CA chain of tenant {} ({}); keeping what was loaded", tenant.id(),
                    e.getClass().getSimpleName());
        }
    }

    static List<X509Certificate> readCaFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("broker.agent.mtls.ca-file " + file + " holds no certificate");
            }
            return List.copyOf(out);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("Cannot read broker.agent.mtls.ca-file " + file + ": " + e.getMessage(), e);
        }
    }
}
