package io.identitybroker.security;

import io.identitybroker.cache.ExpiringCache;
import io.identitybroker.vault.AdminVault;
import io.identitybroker.vault.VaultLiveness;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers "may this admin token do X on virtual path P" by asking Vault, caching each answer per
 * token (by its SHA-256) for {@code broker.admin.capability-cache-ttl}, at most 30 s. A Vault
 * failure propagates (the caller denies with 503); it is never turned into a cached or default
 * allow. A cached answer is used only after {@link VaultLiveness} has seen Vault up in a probe that
 * started at most {@code broker.admin.vault-liveness-max-age} (100 ms) ago, so a sealed or
 * unreachable Vault fails every admin request closed within that time, cached callers included.
 */
@Singleton
public class AdminAuthorizer {
    /** The virtual path of a tenant; {@code read} on it makes the tenant visible. */
    public static String tenantPath(String tenant) {
        return "identity-broker/tenants/" + tenant;
    }

    /** Entries per cache: enough for every live admin token and path; a burst beyond costs Vault lookups, not memory. */
    private static final int MAX_CACHED = 10_000;

    private record Key(String tokenHash, String path) {
    }

    private final AdminVault vault;
    private final VaultLiveness liveness;
    private final ExpiringCache<String, Optional<AdminVault.TokenIdentity>> identities;
    private final ExpiringCache<Key, Set<String>> capabilities;
    private final java.time.Duration livenessMaxAge;

    public AdminAuthorizer(AdminVault vault, VaultLiveness liveness, AdminSecurityConfiguration properties, Clock clock) {
        this.vault = vault;
        this.liveness = liveness;
        this.livenessMaxAge = properties.getVaultLivenessMaxAge();
        this.identities = new ExpiringCache<>(properties.getCapabilityCacheTtl(), MAX_CACHED, clock);
        this.capabilities = new ExpiringCache<>(properties.getCapabilityCacheTtl(), MAX_CACHED, clock);
    }

    public Optional<AdminVault.TokenIdentity> identify(String token) {
        return identities.get(SecretTokens.hash(token), h -> vault.lookupSelf(token));
    }

    public boolean can(String token, String path, String capability) {
        return grants(capabilitiesOf(token, List.of(path)).get(path), capability);
    }

    /** Vault answers {@code ["root"]} for a root token: it holds every capability. */
    public static boolean grants(Set<String> capabilities, String capability) {
        return capabilities != null && (capabilities.contains(capability) || capabilities.contains("root"));
    }

    /** Capabilities on several paths, asking Vault once for the ones not cached. */
    public Map<String, Set<String>> capabilitiesOf(String token, List<String> paths) {
        String tokenHash = SecretTokens.hash(token);
        Map<String, Set<String>> result = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String path : paths) {
            Set<String> cached = capabilities.getIfPresent(new Key(tokenHash, path));
            if (cached != null) {
                result.put(path, cached);
            } else {
                missing.add(path);
            }
        }
        if (missing.isEmpty()) {
            liveness.confirm(livenessMaxAge); // every answer came from cache: Vault must still be able to answer
        } else {
            Map<String, Set<String>> fetched = vault.capabilities(token, missing);
            for (String path : missing) {
                Set<String> caps = Set.copyOf(fetched.getOrDefault(path, Set.of()));
                capabilities.put(new Key(tokenHash, path), caps);
                result.put(path, caps);
            }
        }
        return result;
    }
}
