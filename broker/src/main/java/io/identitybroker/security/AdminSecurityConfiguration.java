package io.identitybroker.security;

import java.time.Duration;

/** Admin authorization settings ({@value AdminSecurityConfigurationProperties#PREFIX}.*). */
public interface AdminSecurityConfiguration {
    /**
     * How long a token's identity and capabilities are reused; zero disables. The contract of
     * docs/api.md: a token revoked, or a policy withdrawn, in Vault stops working within this long.
     */
    Duration getCapabilityCacheTtl();
}
