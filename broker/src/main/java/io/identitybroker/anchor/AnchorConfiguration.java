package io.identitybroker.anchor;

import java.time.Duration;

/** Audit chain anchoring ({@value AnchorConfigurationProperties#PREFIX}.*). */
public interface AnchorConfiguration {
    /** How often each chain's head is anchored in Vault (only chains that moved are written). */
    Duration getInterval();

    /** The KV v2 mount. */
    String getKvMount();

    /** The path under the mount; one secret per chain. */
    String getKvPath();
}
