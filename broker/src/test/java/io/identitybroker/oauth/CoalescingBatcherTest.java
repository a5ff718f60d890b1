package io.identitybroker.oauth;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signing batcher's scheduling, with a fake call instead of Vault. */
@FastTest
class CoalescingBatcherTest {

    @Test
    void aLoneRequestIsSentAtOnceWithoutWaitingForCompany() throws Exception {
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        try (var batcher = new CoalescingBatcher<String, String>("t", in -> {
            calls.add(in);
            return in.stream().map(String::toUpperCase).toList();
        }, 64, Duration.ofSeconds(5), 2, 100)) {
            long start = System.nanoTime();
            assertEquals("A", batcher.submit("a").get(1, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "a lone request must not wait for max-wait");
            assertEquals(List.of(List.of("a")), calls);
        }
    }

    @Test
    void requestsQueuedWhileTheCallSlotIsBusyShareOneCallUpToMaxSize() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (var batcher = new CoalescingBatcher<Integer, Integer>("t", in -> {
            sizes.add(in.size());
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return in.stream().map(i -> i * 2).toList();
        }, 10, Duration.ofMillis(2), 1, 100)) {
            CompletableFuture<Integer> first = batcher.submit(0);
            Thread.sleep(100); // the first call now holds the only slot
            List<CompletableFuture<Integer>> rest = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                rest.add(batcher.submit(i));
            }
            release.countDown();
            assertEquals(0, first.get(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 25; i++) {
                assertEquals(i * 2, rest.get(i - 1).get(5, TimeUnit.SECONDS));
            }
            assertEquals(List.of(1, 10, 10, 5), sizes);
        }
    }

    @Test
    void aFailedCallFailsEveryRequestInItAndAFullQueueRefuses() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (var batcher = new CoalescingBatcher<String, String>("t", in -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("vault said no");
        }, 10, Duration.ofMillis(2), 1, 3)) {
            CompletableFuture<String> first = batcher.submit("a");
            // The only call slot is now busy with "a": the queue holds exactly what follows.
            assertTrue(started.await(5, TimeUnit.SECONDS), "the first call started");
            List<CompletableFuture<String>> queued = List.of(batcher.submit("b"), batcher.submit("c"), batcher.submit("d"));
            ExecutionException overflow = assertThrows(ExecutionException.class, () -> batcher.submit("e").get(1, TimeUnit.SECONDS));
            assertInstanceOf(CoalescingBatcher.Overloaded.class, overflow.getCause());
            release.countDown();
            for (CompletableFuture<String> f : List.of(first, queued.get(0), queued.get(1), queued.get(2))) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertEquals("vault said no", e.getCause().getMessage());
            }
        }
    }
}
