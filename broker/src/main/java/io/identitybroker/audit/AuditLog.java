package io.identitybroker.audit;

import io.identitybroker.ids.TimeOrderedUuid;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Appends events to their chain. {@link #append} joins the caller's transaction, so an event
 * exists exactly when its state change does; {@link #appendAlone} is for failures that change
 * nothing else. The chain head is row-locked, so concurrent appends (several replicas included)
 * serialise per tenant and the lock is held only from the append to the commit.
 *
 * <p>Within one replica, appends to a chain also queue on a JVM lock before they ask the
 * database for the row lock ({@link ChainGate}): the database then sees at most one waiter per
 * chain per replica instead of every request thread, whose wake-up-and-retry on each commit
 * (H2's MVStore, and PostgreSQL's lock queue alike) costs CPU that grows with the square of the
 * waiters. The row lock alone still decides correctness between replicas.
 */
@Singleton
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** The chain of events that no tenant can be attributed to (e.g. an unknown enrollment token). */
    public static final String SYSTEM_CHAIN = "_system";

    private final AuditEventRepository events;
    private final Clock clock;
    private final ChainGate gate;
    /** Chains whose head row is known to exist (heads are never deleted), so appends skip the insert. */
    private final Set<String> knownHeads = ConcurrentHashMap.newKeySet();

    private final ChainAnchors anchors;
    private final ApplicationEventPublisher<AuditAppended> appended;

    public AuditLog(AuditEventRepository events, Clock clock, TransactionOperations<Connection> transactions,
                    @Nullable ChainAnchors anchors, ApplicationEventPublisher<AuditAppended> appended) {
        this.appended = appended;
        this.events = events;
        this.clock = clock;
        this.gate = new ChainGate(transactions);
        this.anchors = anchors;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent append(AuditRecord record) {
        String chain = record.tenant() == null ? SYSTEM_CHAIN : record.tenant();
        gate.enter(chain);
        Optional<AuditChainHead> locked = knownHeads.contains(chain) ? events.lockHead(chain) : Optional.empty();
        if (locked.isEmpty()) {
            // First append to this chain here (or the transaction that created its head rolled back).
            events.ensureHead(chain, AuditChain.GENESIS);
            locked = events.lockHead(chain);
        }
        AuditChainHead head = locked.orElseThrow();
        knownHeads.add(chain);
        AuditEvent unsigned = new AuditEvent(TimeOrderedUuid.next(), chain, head.seq() + 1,
                clock.instant().truncatedTo(ChronoUnit.MICROS), record.tenant(), record.type(), record.actor(),
                record.subject(), record.outcome(), record.correlationId(),
                AuditChain.canonicalJson(record.details()), head.hash(), null);
        AuditEvent event = withHash(unsigned, AuditChain.hash(unsigned));
        events.save(event);
        events.advanceHead(chain, event.seq(), event.hash());
        appended.publishEvent(new AuditAppended(chain, record.type(), record.outcome(),
                record.details().get("reason") instanceof String reason ? reason : null));
        return event;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditEvent appendAlone(AuditRecord record) {
        return append(record);
    }

    /**
     * {@link #appendAlone} while another failure is already being answered: if the event cannot be
     * written either, that is logged and the original failure stays the one the caller sees.
     */
    public void appendAloneBestEffort(AuditRecord record) {
        try {
            appendAlone(record);
        } catch (RuntimeException e) {
            LOG.error("Could not write audit event {}: {}", record.type(), e.toString());
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEvent> page(String tenant, String type, long afterSeq, int limit) {
        return type == null ? events.page(tenant, afterSeq, limit) : events.pageOfType(tenant, type, afterSeq, limit);
    }

    /** Every chain's head (for anchoring outside the database). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditChainHead> heads() {
        return events.heads();
    }

    /**
     * Recomputes the chain from its first event, then compares its last event with the head
     * anchored outside the database: a chain that ends before the anchored seq lost its tail.
     *
     * @return the result, naming the first event whose hash or link does not hold, the last seq
     * and hash verified, and the anchor comparison
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ChainVerification verify(String chain) {
        String prev = AuditChain.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        java.util.Map<Long, String> hashes = new java.util.HashMap<>();
        Optional<ChainAnchors.Anchor> anchor;
        String anchorState;
        try {
            anchor = anchors == null ? Optional.empty() : anchors.latest(chain);
            anchorState = anchor.isPresent() ? null : "none";
        } catch (RuntimeException e) {
            LOG.warn("Could not read the anchored head of audit chain {}: {}", chain, e.toString());
            anchor = Optional.empty();
            anchorState = "unavailable";
        }
        long anchoredSeq = anchor.map(ChainAnchors.Anchor::seq).orElse(-1L);
        List<AuditEvent> page;
        do {
            page = events.page(chain, expectedSeq - 1, 500);
            for (AuditEvent e : page) {
                boolean linked = e.seq() == expectedSeq && e.prevHash().equals(prev);
                if (!linked || !AuditChain.hash(e).equals(e.hash())) {
                    return new ChainVerification(chain, false, checked, expectedSeq - 1, prev, e.seq(), e.id(),
                            anchorState == null ? "not_reached" : anchorState, anchor.map(ChainAnchors.Anchor::seq).orElse(null),
                            anchor.map(ChainAnchors.Anchor::hash).orElse(null));
                }
                if (e.seq() == anchoredSeq) {
                    hashes.put(e.seq(), e.hash());
                }
                prev = e.hash();
                expectedSeq++;
                checked++;
            }
        } while (page.size() == 500);
        long lastSeq = expectedSeq - 1;
        if (anchorState == null) {
            ChainAnchors.Anchor a = anchor.get();
            anchorState = a.seq() > lastSeq ? "truncated" : a.hash().equals(hashes.get(a.seq())) ? "matches" : "diverged";
        }
        boolean valid = !anchorState.equals("truncated") && !anchorState.equals("diverged");
        if (!valid) {
            LOG.error("Audit chain {} ends at seq {} but its anchored head is seq {} ({})", chain, lastSeq,
                    anchor.get().seq(), anchorState);
        }
        return new ChainVerification(chain, valid, checked, lastSeq, prev, null, null, anchorState,
                anchor.map(ChainAnchors.Anchor::seq).orElse(null), anchor.map(ChainAnchors.Anchor::hash).orElse(null));
    }

    /**
     * Bounded verification for monitoring: recomputes the hashes and links of the chain's last
     * {@code events} events, checks that the last one is the head row, and compares the anchored
     * head when it falls inside that tail or beyond it (a cut tail). Older events are left to
     * {@link #verify}. An unreadable anchor store does not make the tail invalid (links are still checked).
     *
     * @return whether the tail holds
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean verifyTail(AuditChainHead head, int events) {
        long from = Math.max(0, head.seq() - events);
        // Up to the head read, not beyond: events appended since are the next check's.
        List<AuditEvent> tail = head.seq() == 0 ? List.of() : this.events.page(head.chain(), from, (int) (head.seq() - from));
        String prev = from == 0 ? AuditChain.GENESIS : null;
        long expected = from + 1;
        for (AuditEvent e : tail) {
            if (e.seq() != expected || (prev != null && !e.prevHash().equals(prev)) || !AuditChain.hash(e).equals(e.hash())) {
                return false;
            }
            prev = e.hash();
            expected++;
        }
        if (expected - 1 != head.seq() || (head.seq() > 0 && !head.hash().equals(prev))) {
            return false;
        }
        Optional<ChainAnchors.Anchor> anchor;
        try {
            anchor = anchors == null ? Optional.empty() : anchors.latest(head.chain());
        } catch (RuntimeException e) {
            return true;
        }
        if (anchor.isEmpty() || anchor.get().seq() <= from) {
            return true;
        }
        ChainAnchors.Anchor a = anchor.get();
        return a.seq() <= head.seq() && a.hash().equals(tail.get((int) (a.seq() - from - 1)).hash());
    }

    private static AuditEvent withHash(AuditEvent e, String hash) {
        return new AuditEvent(e.id(), e.chain(), e.seq(), e.at(), e.tenant(), e.type(), e.actor(), e.subject(),
                e.outcome(), e.correlationId(), e.details(), e.prevHash(), hash);
    }
}
