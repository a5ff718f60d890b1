package io.identitybroker.anchor;

import io.identitybroker.audit.AuditChainHead;
import io.identitybroker.audit.AuditLog;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@code broker.audit.anchor.interval}, copies the head (seq, hash) of each audit chain
 * that moved into Vault KV and logs one line per anchor ({@code Audit anchor installation=… chain=… seq=… hash=…}),
 * so the head exists in two places the database's owner does not both control: Vault and the log.
 * A verification that finds the database chain ending before the anchored seq reports it
 * truncated. Events appended after the last anchor are not covered until the next round; a
 * failed round (Vault down) is logged and retried at the next.
 */
@Singleton
public class AuditAnchoring {
    /** The schedule: {@code broker.audit.anchor.interval} with its default. */
    private static final String INTERVAL = "${" + AnchorConfigurationProperties.PREFIX + ".interval:"
            + AnchorConfigurationProperties.DEFAULT_INTERVAL + "}";
    private static final Logger LOG = LoggerFactory.getLogger(AuditAnchoring.class);

    private final AuditLog audit;
    private final VaultKvChainAnchors anchors;
    private final Clock clock;
    /** Heads this replica anchored (or found anchored), to skip chains that did not move. */
    private final Map<String, Long> anchored = new ConcurrentHashMap<>();

    public AuditAnchoring(AuditLog audit, VaultKvChainAnchors anchors, Clock clock) {
        this.audit = audit;
        this.anchors = anchors;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void anchorAll() {
        try {
            for (AuditChainHead head : audit.heads()) {
                if (head.seq() == 0 || anchored.getOrDefault(head.chain(), -1L) >= head.seq()) {
                    continue;
                }
                if (anchors.advance(head.chain(), head.seq(), head.hash(), clock.instant())) {
                    LOG.info("Audit anchor installation={} chain={} seq={} hash={}", anchors.installationId(), head.chain(),
                            head.seq(), head.hash());
                }
                anchored.put(head.chain(), head.seq());
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit anchoring failed; will retry: {}", e.toString());
        }
    }
}
