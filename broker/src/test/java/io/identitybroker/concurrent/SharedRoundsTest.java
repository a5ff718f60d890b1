package io.identitybroker.concurrent;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@FastTest
class SharedRoundsTest {

    @Test
    void whenACallerArrivesDuringARoundThenItGetsTheOutcomeOfTheNextOne() throws Exception {
        SharedRounds<Integer> rounds = new SharedRounds<>();
        AtomicInteger started = new AtomicInteger();
        CountDownLatch inFirstRound = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> awaitQuietly(rounds, () -> {
            int n = started.incrementAndGet();
            inFirstRound.countDown();
            awaitQuietly(releaseFirst);
            return n;
        }));
        inFirstRound.await(10, TimeUnit.SECONDS);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> awaitQuietly(rounds, started::incrementAndGet));
        releaseFirst.countDown();

        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        assertEquals(2, second.get(10, TimeUnit.SECONDS), "a round that started before the call does not count");
        assertEquals(2, started.get());
    }

    @Test
    void whenARoundThrowsThenItsCallerGetsTheExceptionAndTheNextCallRunsAgain() throws Exception {
        SharedRounds<String> rounds = new SharedRounds<>();
        assertThrows(IllegalStateException.class, () -> rounds.await(() -> {
            throw new IllegalStateException("down");
        }));
        assertEquals("up", rounds.await(() -> "up"));
    }

    private static <T> T awaitQuietly(SharedRounds<T> rounds, java.util.function.Supplier<T> round) {
        try {
            return rounds.await(round);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
