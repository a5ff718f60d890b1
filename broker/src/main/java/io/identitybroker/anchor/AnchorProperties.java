package io.identitybroker.anchor;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Audit chain anchoring ({@code broker.audit.anchor.*}). */
@ConfigurationProperties("broker.audit.anchor")
public class AnchorProperties {
    /** How often each chain's head is anchored in Vault (only chains that moved are written). Default 60 s. */
    private Duration interval = Duration.ofSeconds(60);
    /** The KV v2 mount. Default {@code identity-broker-kv} (the tenant declarations' mount). */
    private String kvMount = "identity-broker-kv";
    /** The path under the mount; one secret per chain. Default {@code audit-anchors}. */
    private String kvPath = "audit-anchors";

    public Duration getInterval() { return interval; }
    public void setInterval(Duration interval) { this.interval = interval; }
    public String getKvMount() { return kvMount; }
    public void setKvMount(String kvMount) { this.kvMount = kvMount; }
    public String getKvPath() { return kvPath; }
    public void setKvPath(String kvPath) { this.kvPath = kvPath; }
}
