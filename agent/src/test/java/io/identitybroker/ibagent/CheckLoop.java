package io.identitybroker.ibagent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a check over and over on its own thread until closed, with a pause between runs, and counts
 * the runs that threw (keeping the first failure for the assertion message).
 */
final class CheckLoop implements AutoCloseable {
    /** One check; throws when it fails. */
    interface Check {
        void run() throws Exception;
    }

    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Thread thread;

    CheckLoop(String name, long pauseMillis, Check check) {
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    check.run();
                    passed.incrementAndGet();
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                }
            }
        }, name);
        thread.start();
    }

    int passed() {
        return passed.get();
    }

    int failed() {
        return failed.get();
    }

    String firstFailure() {
        return firstFailure.get();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
    }
}
