package io.identitybroker.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import io.identitybroker.ids.SpiffeId;
import io.identitybroker.pki.Pem;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Declaring, changing and removing foreign trust domains (platform admins). Every input is
 * validated before anything is written: the name is a SPIFFE trust domain name, an endpoint is an
 * absolute https URL without userinfo or fragment, an endpoint CA is PEM, and a static bundle
 * parses as a SPIFFE bundle. Each change is audited on the system chain in the same transaction
 * ({@code federation.trust_domain.declared}, {@code .changed}, {@code .removed}); a trust domain
 * that external clients still name cannot be removed (409).
 */
@Singleton
public class TrustDomainService {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SOURCE_API = "api";
    static final String SOURCE_VAULT_KV = "vault-kv";

    private final TrustDomainRepository repository;
    private final FederatedBundles bundles;
    private final AuditLog audit;
    private final Clock clock;

    public TrustDomainService(TrustDomainRepository repository, FederatedBundles bundles, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.bundles = bundles;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public TrustDomain declare(TrustDomainRequests.Declare request, RequestContext ctx) {
        if (request == null || !SpiffeId.isTrustDomain(request.name())) {
            throw invalid("name must be a SPIFFE trust domain name (lowercase letters, digits, '.', '-', '_').");
        }
        if (repository.existsById(request.name())) {
            throw new ProblemException(ProblemType.TRUST_DOMAIN_EXISTS, "A trust domain with this name is declared.");
        }
        Instant now = now();
        TrustDomain td = validated(request.name(), request, SOURCE_API, now, now);
        repository.save(td);
        audit.append(AuditRecord.success("federation.trust_domain.declared", null, td.name(), ctx)
                .with("profile", td.profile()).with("bundle_endpoint_url", td.endpointUrl())
                .with("endpoint_spiffe_id", td.endpointSpiffeId()).with("source", td.source()));
        return td;
    }

    @Transactional
    public TrustDomain replace(String name, TrustDomainRequests.Declare request, RequestContext ctx) {
        TrustDomain existing = requireFromApi(name);
        if (request == null || (request.name() != null && !request.name().equals(name))) {
            throw invalid("The name of a trust domain cannot change; remove it and declare the new one.");
        }
        TrustDomain td = validated(name, request, existing.source(), existing.createdAt(), now());
        repository.update(td);
        audit.append(AuditRecord.success("federation.trust_domain.changed", null, name, ctx)
                .with("profile", td.profile()).with("bundle_endpoint_url", td.endpointUrl())
                .with("endpoint_spiffe_id", td.endpointSpiffeId()));
        return td;
    }

    @Transactional
    public void remove(String name, RequestContext ctx) {
        TrustDomain td = requireFromApi(name);
        if (repository.clientsOf(name) > 0) {
            throw new ProblemException(ProblemType.TRUST_DOMAIN_IN_USE,
                    "External clients are registered for this trust domain; remove them first.");
        }
        repository.delete(td);
        audit.append(AuditRecord.success("federation.trust_domain.removed", null, name, ctx).with("profile", td.profile()));
    }

    /**
     * Applies one Vault KV declaration (the sync's actor): creates the trust domain, or replaces it
     * when the declaration changed. A trust domain declared through the API is left alone.
     *
     * @return whether anything changed
     */
    @Transactional
    boolean applyDeclaration(String name, TrustDomainRequests.Declare request, RequestContext ctx) {
        if (!SpiffeId.isTrustDomain(name)) {
            throw invalid("the declaration's key is not a SPIFFE trust domain name.");
        }
        TrustDomain existing = repository.findById(name).orElse(null);
        if (existing == null) {
            Instant now = now();
            TrustDomain td = validated(name, request, SOURCE_VAULT_KV, now, now);
            repository.save(td);
            audit.append(AuditRecord.success("federation.trust_domain.declared", null, name, ctx)
                    .with("profile", td.profile()).with("bundle_endpoint_url", td.endpointUrl())
                .with("endpoint_spiffe_id", td.endpointSpiffeId()).with("source", td.source()));
            return true;
        }
        if (!SOURCE_VAULT_KV.equals(existing.source())) {
            return false;
        }
        TrustDomain td = validated(name, request, SOURCE_VAULT_KV, existing.createdAt(), now());
        if (java.util.Objects.equals(td.profile(), existing.profile()) && java.util.Objects.equals(td.endpointUrl(), existing.endpointUrl())
                && java.util.Objects.equals(td.endpointCa(), existing.endpointCa())
                && java.util.Objects.equals(td.staticBundle(), existing.staticBundle())
                && java.util.Objects.equals(td.endpointSpiffeId(), existing.endpointSpiffeId())) {
            return false;
        }
        repository.update(td);
        audit.append(AuditRecord.success("federation.trust_domain.changed", null, name, ctx)
                .with("profile", td.profile()).with("bundle_endpoint_url", td.endpointUrl())
                .with("endpoint_spiffe_id", td.endpointSpiffeId()));
        return true;
    }

    /** Removes a trust domain whose Vault KV declaration is gone, unless external clients still name it. */
    @Transactional
    boolean removeUndeclared(String name, RequestContext ctx) {
        TrustDomain td = repository.findById(name).orElse(null);
        if (td == null || !SOURCE_VAULT_KV.equals(td.source()) || repository.clientsOf(name) > 0) {
            return false;
        }
        repository.delete(td);
        audit.append(AuditRecord.success("federation.trust_domain.removed", null, name, ctx).with("profile", td.profile()));
        return true;
    }

    private TrustDomain requireFromApi(String name) {
        TrustDomain td = require(name);
        if (SOURCE_VAULT_KV.equals(td.source())) {
            throw new ProblemException(ProblemType.TRUST_DOMAIN_DECLARED_IN_VAULT,
                    "This trust domain is declared in Vault KV; change or remove its declaration there.");
        }
        return td;
    }

    /** After a committed change: this replica picks it up at once (the others at their next sync). */
    public void applied() {
        bundles.sync();
    }

    public void refreshNow(String name) {
        bundles.refreshNow(name);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TrustDomain> all() {
        return repository.allByName();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TrustDomain> find(String name) {
        return SpiffeId.isTrustDomain(name) ? repository.findById(name) : Optional.empty();
    }

    public TrustDomain require(String name) {
        return find(name).orElseThrow(() -> new ProblemException(ProblemType.TRUST_DOMAIN_NOT_FOUND, "No such trust domain."));
    }

    public TrustDomainView view(TrustDomain td) {
        return TrustDomainView.of(td, bundles.status(td.name()).orElse(null));
    }

    private static TrustDomain validated(String name, TrustDomainRequests.Declare r, String source, Instant created, Instant now) {
        String profile = r.profile() != null ? r.profile() : r.bundle() != null ? TrustDomain.STATIC : TrustDomain.HTTPS_WEB;
        switch (profile) {
            case TrustDomain.STATIC -> {
                if (r.bundle() == null || r.bundleEndpointUrl() != null || r.endpointCa() != null || r.endpointSpiffeId() != null) {
                    throw invalid("A static trust domain has a bundle and no endpoint.");
                }
                return new TrustDomain(name, profile, null, null, bundle(name, r), source, created, now, null);
            }
            case TrustDomain.HTTPS_SPIFFE -> {
                endpoint(r.bundleEndpointUrl());
                if (r.bundle() == null || r.endpointCa() != null) {
                    throw invalid("An https_spiffe trust domain has a bootstrap bundle, and no endpoint_ca.");
                }
                SpiffeId id;
                try {
                    id = SpiffeId.parse(r.endpointSpiffeId());
                } catch (IllegalArgumentException e) {
                    throw invalid("endpoint_spiffe_id must be the SPIFFE ID the bundle endpoint presents.");
                }
                if (!id.trustDomain().equals(name)) {
                    throw invalid("endpoint_spiffe_id must be in the trust domain itself.");
                }
                return new TrustDomain(name, profile, r.bundleEndpointUrl(), null, bundle(name, r), source, created, now,
                        id.toString());
            }
            case TrustDomain.HTTPS_WEB -> {
                if (r.bundle() != null || r.endpointSpiffeId() != null) {
                    throw invalid("An https_web trust domain has an endpoint (and optional endpoint_ca), not a bundle.");
                }
                endpoint(r.bundleEndpointUrl());
                String ca = r.endpointCa() == null || r.endpointCa().isBlank() ? null : r.endpointCa().strip();
                if (ca != null) {
                    try {
                        if (ca.length() > 65536 || Pem.certificates(ca).isEmpty()) {
                            throw invalid("endpoint_ca must be PEM certificates.");
                        }
                    } catch (IllegalArgumentException e) {
                        throw invalid("endpoint_ca must be PEM certificates.");
                    }
                }
                return new TrustDomain(name, profile, r.bundleEndpointUrl(), ca, null, source, created, now, null);
            }
            default -> throw invalid("profile must be 'https_web', 'https_spiffe' or 'static'.");
        }
    }

    /** The request's bundle as stored JSON, after it parsed as a SPIFFE bundle with at least one key. */
    private static String bundle(String name, TrustDomainRequests.Declare r) {
        String bundle;
        try {
            bundle = JSON.writeValueAsString(r.bundle());
        } catch (JsonProcessingException e) {
            throw invalid("bundle is not JSON.");
        }
        SpiffeBundle parsed;
        try {
            parsed = SpiffeBundle.parse(name, bundle);
        } catch (IllegalArgumentException e) {
            throw invalid("bundle: " + e.getMessage() + ".");
        }
        if (parsed.x509Authorities().isEmpty() && parsed.jwtAuthorities().isEmpty()) {
            throw invalid("bundle has no x509-svid or jwt-svid key.");
        }
        return bundle;
    }

    private static void endpoint(String url) {
        URI uri;
        try {
            uri = url == null || url.length() > 2048 ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw invalid("bundle_endpoint_url must be an absolute https URL without userinfo or fragment.");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_TRUST_DOMAIN, detail);
    }
}
