package io.identitybroker.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Coalesces concurrent requests into batched calls. An idle batcher sends a lone request at once
 * (no added latency); requests that arrive while others are queued or while every call slot is
 * busy are gathered, for at most {@code maxWait} and {@code maxSize} items, into one call.
 * At most {@code maxConcurrentCalls} calls run at a time; the queue is bounded, and a full
 * queue refuses new work rather than growing without limit.
 * <p>
 * It keeps its own threads on purpose: a dispatcher that blocks on the queue for the life of the
 * broker, and exactly {@code maxConcurrentCalls} callers, which is the bound on Vault calls in
 * flight. The framework's pools are shared and unbounded (I/O) or shared by every schedule, so
 * neither would hold that bound nor keep a blocked dispatcher from starving other jobs. It is a
 * rate limiter, not a cache or a scheduler.
 *
 * @param <I> one request
 * @param <O> its result; the call returns one result per request, in order
 */
final class CoalescingBatcher<I, O> implements AutoCloseable {
    private record Pending<I, O>(I input, CompletableFuture<O> result) {
    }

    /** Thrown to submitters when the queue is full. */
    static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("batcher queue is full", null, false, false);
        }
    }

    private final Function<List<I>, List<O>> call;
    private final int maxSize;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Pending<I, O>> queue;
    private final Semaphore slots;
    private final ExecutorService callers;
    private final Thread dispatcher;
    private volatile boolean closed;

    CoalescingBatcher(String name, Function<List<I>, List<O>> call, int maxSize, java.time.Duration maxWait,
                      int maxConcurrentCalls, int maxQueued) {
        this.call = call;
        this.maxSize = maxSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.slots = new Semaphore(maxConcurrentCalls);
        this.callers = Executors.newFixedThreadPool(maxConcurrentCalls, r -> daemon(r, name + "-call"));
        this.dispatcher = daemon(this::dispatch, name + "-dispatcher");
        this.dispatcher.start();
    }

    CompletableFuture<O> submit(I input) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (closed || !queue.offer(new Pending<>(input, result))) {
            result.completeExceptionally(new Overloaded());
        }
        return result;
    }

    private void dispatch() {
        try {
            while (!closed) {
                slots.acquire();
                List<Pending<I, O>> batch = new ArrayList<>(maxSize);
                batch.add(queue.take());
                queue.drainTo(batch, maxSize - batch.size());
                if (batch.size() > 1) {
                    // Others were already waiting: there is load, so a short wait fills the batch further.
                    long deadline = System.nanoTime() + maxWaitNanos;
                    while (batch.size() < maxSize) {
                        long left = deadline - System.nanoTime();
                        Pending<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                        queue.drainTo(batch, maxSize - batch.size());
                    }
                }
                callers.execute(() -> run(batch));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(List<Pending<I, O>> batch) {
        try {
            List<O> results = call.apply(batch.stream().map(Pending::input).toList());
            if (results.size() != batch.size()) {
                throw new IllegalStateException("batch call returned " + results.size() + " results for " + batch.size());
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        } finally {
            slots.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        callers.shutdown();
        Pending<I, O> p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new Overloaded());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
