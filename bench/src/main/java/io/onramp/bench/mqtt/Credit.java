package io.onramp.bench.mqtt;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end flow control for paced QoS 0 telemetry: at most {@code limit} messages sent and not
 * yet delivered to the consumer, over all publishers. A publisher out of credit parks until the
 * consumer's deliveries return some. Messages the broker dropped never return theirs, so a stall
 * (no credit back for a while) refills the credit. Thread-safe.
 */
final class Credit {

    private final long limit;
    private final AtomicLong available;
    private final AtomicLong returned = new AtomicLong();
    private final Queue<Runnable> parked = new ConcurrentLinkedQueue<>();
    private long returnedAtLastCheck;

    Credit(long limit) {
        this.limit = limit;
        this.available = new AtomicLong(limit);
    }

    /** Takes one message's credit, if there is any left. */
    boolean take() {
        while (true) {
            long now = available.get();
            if (now <= 0) {
                return false;
            }
            if (available.compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }

    /** Runs {@code resume} (once) as soon as credit is back; it should hand itself to its event loop. */
    void park(Runnable resume) {
        parked.add(resume);
        if (available.get() > 0) {
            wake();
        }
    }

    /** A message reached the consumer. */
    void delivered() {
        available.incrementAndGet();
        returned.incrementAndGet();
        if (!parked.isEmpty()) {
            wake();
        }
    }

    /** Called periodically by one thread: refills the credit when nothing came back since the last call. */
    boolean refillIfStalled() {
        long now = returned.get();
        boolean stalled = now == returnedAtLastCheck && available.get() <= 0;
        returnedAtLastCheck = now;
        if (stalled) {
            available.set(limit);
            wake();
        }
        return stalled;
    }

    private void wake() {
        Runnable resume;
        while ((resume = parked.poll()) != null) {
            resume.run();
        }
    }
}
