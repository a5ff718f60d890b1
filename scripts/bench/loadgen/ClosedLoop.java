package loadgen;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static loadgen.Util.abbreviate;
import static loadgen.Util.log;

/** The closed loop every scenario runs through: N worker threads, each sending its next request when the previous one answered. */
final class ClosedLoop {
    private ClosedLoop() {
    }

    /**
     * {@code c} threads, each sending the next prepared request as soon as its previous one answered,
     * until {@code seconds} have passed or the requests run out. Every request started in the window
     * counts; the window's length is from its start to the last answer. Latency: send to full body.
     * With {@code measure}, the processes' CPU (the peer's when {@code peerPid} > 0) is read around it.
     */
    static Window run(Env env, Supplier<Sender> senders, int c, double seconds, List<HttpRequest> requests,
                      Predicate<HttpResponse<String>> ok, boolean measure, long peerPid) {
        AtomicInteger next = new AtomicInteger();
        long[][] lat = new long[c][];
        int[] counts = new int[c];
        long[] errors = new long[c];
        long[] lastDone = new long[c];
        List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ready = new CountDownLatch(c);
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1];
        Thread[] threads = new Thread[c];
        long budget = (long) (seconds * 1e9);
        for (int w = 0; w < c; w++) {
            int id = w;
            lat[id] = new long[1024];
            Sender sender = senders.get();
            threads[w] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = start[0] + budget;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 - end >= 0) {
                        break;
                    }
                    int i = next.getAndIncrement();
                    if (i >= requests.size()) {
                        break;
                    }
                    boolean good;
                    String err = null;
                    try {
                        HttpResponse<String> r = sender.send(requests.get(i));
                        good = ok.test(r);
                        if (!good) {
                            err = r.statusCode() + " " + abbreviate(r.body());
                        }
                    } catch (IOException e) {
                        good = false;
                        err = e.toString();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long t1 = System.nanoTime();
                    lastDone[id] = t1;
                    if (good) {
                        if (counts[id] == lat[id].length) {
                            lat[id] = Arrays.copyOf(lat[id], lat[id].length * 2);
                        }
                        lat[id][counts[id]++] = t1 - t0;
                    } else {
                        errors[id]++;
                        if (errorSamples.size() < 3) {
                            errorSamples.add(err);
                        }
                    }
                }
            }, "bench-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
        try {
            ready.await();
            Cpu cpu0 = measure ? Cpu.snapshot(env, peerPid) : null;
            Map<String, Double> threads0 = measure ? Cpu.threadCpu(env.brokerPid(), env.clkTck()) : null;
            start[0] = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis((long) seconds + 120));
                if (t.isAlive()) {
                    throw new IllegalStateException("a worker did not finish within the window plus 120 s");
                }
            }
            Cpu used = cpu0 == null ? null : Cpu.snapshot(env, peerPid).minus(cpu0);
            Map<String, Double> brokerThreads = threads0 == null ? new LinkedHashMap<>()
                    : Cpu.groupsBetween(threads0, Cpu.threadCpu(env.brokerPid(), env.clkTck()));
            long last = Arrays.stream(lastDone).max().orElse(start[0]);
            double secs = Math.max(1e-9, (last - start[0]) / 1e9);
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int k = 0;
            for (int w = 0; w < c; w++) {
                System.arraycopy(lat[w], 0, all, k, counts[w]);
                k += counts[w];
            }
            Arrays.sort(all);
            long errs = Arrays.stream(errors).sum();
            String note = "";
            if (next.get() >= requests.size() && secs < seconds * 0.98) {
                note = String.format(Locale.ROOT, "prepared requests ran out after %.1f s", secs);
            }
            if (!errorSamples.isEmpty()) {
                log("   errors (%d), e.g.: %s", errs, String.join(" | ", errorSamples));
            }
            return new Window(total, errs, secs, all, used, brokerThreads, note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
