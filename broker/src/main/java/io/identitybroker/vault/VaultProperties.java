package io.identitybroker.vault;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * How the broker reaches and logs in to Vault ({@code broker.vault.*}).
 * The environment variables {@code VAULT_ADDR}, {@code VAULT_TOKEN}, {@code VAULT_CACERT},
 * {@code BROKER_VAULT_APPROLE_ROLE_ID} and {@code BROKER_VAULT_APPROLE_SECRET_ID_FILE} feed these in
 * {@code application.yml}.
 */
@ConfigurationProperties("broker.vault")
public class VaultProperties {
    /** Vault's address. Default {@code http://127.0.0.1:8200}. */
    private String address = "http://127.0.0.1:8200";
    /** A static token; used when no AppRole is configured. */
    @Nullable
    private String token;
    /** PEM bundle that verifies Vault's TLS certificate; the JDK's trust store when unset. */
    @Nullable
    private String caCert;
    /** AppRole role id; with {@link #approleSecretIdFile} it replaces the static token. */
    @Nullable
    private String approleRoleId;
    /** File holding the AppRole secret id (read at every login, so it can be rotated on disk). */
    @Nullable
    private String approleSecretIdFile;
    /**
     * The secret id file holds a response-wrapping token (e.g. from a trusted orchestrator) rather
     * than the secret id: the broker unwraps it once, at its first login. Default false.
     */
    private boolean approleSecretIdWrapped;
    /** AppRole auth mount. Default {@code approle}. */
    private String approleMount = "approle";
    /** TCP connect timeout. Default 2 s. */
    private Duration openTimeout = Duration.ofSeconds(2);
    /** Response timeout. Default 10 s. */
    private Duration readTimeout = Duration.ofSeconds(10);
    /** What a 503 tells clients to wait before retrying. Default 5 s. */
    private Duration retryAfter = Duration.ofSeconds(5);

    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    @Nullable public String getToken() { return token; }
    public void setToken(@Nullable String token) { this.token = token; }
    @Nullable public String getCaCert() { return caCert; }
    public void setCaCert(@Nullable String caCert) { this.caCert = caCert; }
    @Nullable public String getApproleRoleId() { return approleRoleId; }
    public void setApproleRoleId(@Nullable String approleRoleId) { this.approleRoleId = approleRoleId; }
    @Nullable public String getApproleSecretIdFile() { return approleSecretIdFile; }
    public void setApproleSecretIdFile(@Nullable String approleSecretIdFile) { this.approleSecretIdFile = approleSecretIdFile; }
    public boolean isApproleSecretIdWrapped() { return approleSecretIdWrapped; }
    public void setApproleSecretIdWrapped(boolean approleSecretIdWrapped) { this.approleSecretIdWrapped = approleSecretIdWrapped; }
    public String getApproleMount() { return approleMount; }
    public void setApproleMount(String approleMount) { this.approleMount = approleMount; }
    public Duration getOpenTimeout() { return openTimeout; }
    public void setOpenTimeout(Duration openTimeout) { this.openTimeout = openTimeout; }
    public Duration getReadTimeout() { return readTimeout; }
    public void setReadTimeout(Duration readTimeout) { this.readTimeout = readTimeout; }
    public Duration getRetryAfter() { return retryAfter; }
    public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }

    boolean usesAppRole() {
        return approleRoleId != null && !approleRoleId.isBlank()
                && approleSecretIdFile != null && !approleSecretIdFile.isBlank();
    }
}
