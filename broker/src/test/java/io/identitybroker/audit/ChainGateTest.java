package io.identitybroker.audit;

import io.identitybroker.api.RequestContext;
import io.identitybroker.testing.BrokerTest;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chain's JVM lock covers an append up to its database commit, not what follows it (H2's
 * group commit waits for the store there): otherwise every append to a chain would wait for the
 * previous one to become durable, and concurrent appends could never share a store.
 */
class ChainGateTest extends BrokerTest {
    /** Any documented event type will do; this one needs no details but its reason. */
    private static final String FAILED = "agent.enrollment.failed";
    private static final RequestContext CTX = new RequestContext("chain-gate-test", "chain-gate-test");

    @Test
    void whenAnAppendHasCommittedThenTheNextAppendToItsChainGoesOnBeforeTheFirstTransactionHasFinished() throws Exception {
        AuditLog audit = broker.context().getBean(AuditLog.class);
        TransactionOperations<Connection> transactions = broker.context().getBean(
                Argument.of(TransactionOperations.class, Connection.class));
        long before = broker.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'acme'");
        CountDownLatch committed = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWrite(status -> {
            audit.append(AuditRecord.failure(FAILED, "acme", null, CTX, "unknown"));
            status.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.countDown(); // committed in the database; held here as a store would hold it
                    await(finish);
                }
            });
            return null;
        }));
        try {
            assertTrue(committed.await(20, TimeUnit.SECONDS), "the first append commits");
            long start = System.nanoTime();
            transactions.executeWrite(status -> audit.append(AuditRecord.failure(FAILED, "acme", null, CTX, "spent")));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(ChainGate.PATIENCE.dividedBy(2)) < 0,
                    "the second append waited " + waited + " for a transaction that had already committed");
        } finally {
            finish.countDown();
            first.get(20, TimeUnit.SECONDS);
        }
        assertEquals(before + 2, broker.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'acme'"));
        assertTrue(api.get("/api/v1/tenants/acme/audit-events/verify", vault.adminToken("acme")).body().path("valid").asBoolean(),
                "the chain stays one unbroken sequence");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
