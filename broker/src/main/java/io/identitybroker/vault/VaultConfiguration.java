package io.identitybroker.vault;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * How the broker reaches and logs in to Vault ({@value VaultConfigurationProperties#PREFIX}.*).
 * The environment variables {@code VAULT_ADDR}, {@code VAULT_TOKEN}, {@code VAULT_CACERT},
 * {@code BROKER_VAULT_APPROLE_ROLE_ID} and {@code BROKER_VAULT_APPROLE_SECRET_ID_FILE} feed these in
 * {@code application.yml}.
 */
public interface VaultConfiguration {
    /** Vault's address. */
    String getAddress();

    /** A static token; used when no AppRole is configured. */
    @Nullable
    String getToken();

    /** PEM bundle that verifies Vault's TLS certificate; the JDK's trust store when unset. */
    @Nullable
    String getCaCert();

    /** AppRole role id; with {@link #getApproleSecretIdFile()} it replaces the static token. */
    @Nullable
    String getApproleRoleId();

    /** File holding the AppRole secret id (read at every login, so it can be rotated on disk). */
    @Nullable
    String getApproleSecretIdFile();

    /**
     * The secret id file holds a response-wrapping token (e.g. from a trusted orchestrator) rather
     * than the secret id: the broker unwraps it once, at its first login.
     */
    boolean isApproleSecretIdWrapped();

    /** AppRole auth mount. */
    String getApproleMount();

    /** TCP connect timeout. */
    Duration getOpenTimeout();

    /** Response timeout. */
    Duration getReadTimeout();

    /** What a 503 tells clients to wait before retrying. */
    Duration getRetryAfter();

    /** Whether the broker logs in with AppRole rather than a static token. */
    default boolean usesAppRole() {
        return getApproleRoleId() != null && !getApproleRoleId().isBlank()
                && getApproleSecretIdFile() != null && !getApproleSecretIdFile().isBlank();
    }
}
