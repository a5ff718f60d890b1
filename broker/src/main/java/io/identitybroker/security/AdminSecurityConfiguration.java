package io.identitybroker.security;

import java.time.Duration;

/** Admin authorization settings ({@value AdminSecurityConfigurationProperties#PREFIX}.*). */
public interface AdminSecurityConfiguration {
    /**
     * How long a token's identity and capabilities are reused; zero disables. The contract of
     * docs/api.md: a token revoked, or a policy withdrawn, in Vault stops working within this long.
     */
    Duration getCapabilityCacheTtl();

    /**
     * A cached decision is used only if a Vault health probe that started at most this long ago
     * found Vault up; zero makes every cached decision wait for a probe that started after the
     * request arrived. The longest a sealed or unreachable Vault can go unnoticed.
     */
    Duration getVaultLivenessMaxAge();
}
