package io.identitybroker.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.api.RequestContext;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * Keeps foreign trust domains declared in Vault KV ({@code broker.federation.source} includes
 * {@code vault-kv}) in step with their declarations, on start and every
 * {@code broker.federation.kv-sync-interval}: new ones are declared, changed ones replaced, removed
 * ones removed (unless external clients still name them), each with its audit event. Trust domains
 * declared through the API are never touched, and an invalid declaration is logged and skipped.
 * Replica-safe: each change is its own transaction; a lost insert race is the other replica's success.
 */
@Singleton
public class TrustDomainSync implements ApplicationEventListener<ServerStartupEvent> {
    /** The schedule: {@code broker.federation.kv-sync-interval} with its default. */
    private static final String INTERVAL = "${" + FederationConfigurationProperties.PREFIX + ".kv-sync-interval:"
            + FederationConfigurationProperties.DEFAULT_KV_SYNC_INTERVAL + "}";
    private static final Logger LOG = LoggerFactory.getLogger(TrustDomainSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTOR = "vault-kv-sync";

    private final FederationConfiguration properties;
    private final TrustDomainDeclarationSource declarations;
    private final TrustDomainService service;
    private final TrustDomainRepository repository;

    public TrustDomainSync(FederationConfiguration properties, TrustDomainDeclarationSource declarations,
                           TrustDomainService service, TrustDomainRepository repository) {
        this.properties = properties;
        this.declarations = declarations;
        this.service = service;
        this.repository = repository;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        scheduledSync();
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void scheduledSync() {
        if (!properties.vaultKvEnabled()) {
            return;
        }
        try {
            syncAll();
        } catch (RuntimeException e) {
            LOG.warn("Trust domain declarations not synced: {}", e.getMessage());
        }
    }

    /** One full pass over the declarations. */
    public void syncAll() {
        Map<String, Map<String, String>> declared = declarations.all();
        RequestContext ctx = new RequestContext(ACTOR, "trust-domain-sync-" + UUID.randomUUID());
        boolean changed = false;
        for (var d : declared.entrySet()) {
            try {
                changed |= service.applyDeclaration(d.getKey(), request(d.getKey(), d.getValue()), ctx);
            } catch (ProblemException e) {
                LOG.warn("Trust domain declaration {} rejected: {}", d.getKey(), e.detail());
            } catch (RuntimeException e) {
                LOG.info("Trust domain declaration {} not applied here: {}", d.getKey(), e.getClass().getSimpleName());
            }
        }
        for (TrustDomain td : repository.allByName()) {
            if (TrustDomainService.SOURCE_VAULT_KV.equals(td.source()) && !declared.containsKey(td.name())) {
                if (service.removeUndeclared(td.name(), ctx)) {
                    changed = true;
                } else {
                    LOG.warn("Trust domain {} is no longer declared but external clients still name it; kept", td.name());
                }
            }
        }
        if (changed) {
            service.applied();
        }
    }

    private static TrustDomainRequests.Declare request(String name, Map<String, String> fields) {
        Map<String, Object> bundle = null;
        String raw = fields.get("bundle");
        if (raw != null && !raw.isBlank()) {
            try {
                bundle = JSON.readValue(raw, new TypeReference<Map<String, Object>>() { });
            } catch (JsonProcessingException e) {
                throw new ProblemException(ProblemType.INVALID_TRUST_DOMAIN, "bundle is not a JSON object.");
            }
        }
        return new TrustDomainRequests.Declare(name, fields.get("profile"), fields.get("bundle_endpoint_url"),
                fields.get("endpoint_ca"), bundle, fields.get("endpoint_spiffe_id"));
    }
}
