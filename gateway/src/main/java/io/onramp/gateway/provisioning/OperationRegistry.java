package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registration operations that devices poll. Running ones are bounded (429 beyond that, before any
 * work starts); finished ones keep only their outcome, in memory for the polls that follow within
 * seconds, for the retention time or until the oldest make room for newer ones, so memory stays
 * bounded at any registration rate. Later polls are answered from the stored record (spec 3 keeps
 * operations pollable for at least ten minutes), not from here.
 */
public final class OperationRegistry {

    /** Devices poll every Retry-After (3 s) until answered; two minutes cover a slow one many times over. */
    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(2);
    public static final int DEFAULT_MAX_RUNNING = 100_000;
    /**
     * 11 s of registrations at 9,000/s. Not more: on Java 17 every ZGC cycle marks the whole live heap, and the
     * million kept before (786,432 with a 6 GiB heap) were nearly all of it: 43-71 us of a core per registration.
     */
    public static final int DEFAULT_MAX_FINISHED = 100_000;
    /**
     * Heap a finished operation holds (its ids, the keys it proved, its record, the map and queue nodes): 740 B
     * measured with compressed references, rounded up for ZGC on Java 17, which has none.
     */
    static final long HEAP_PER_FINISHED = 1024;
    /** Below this many, a burst would evict operations before their devices poll (every 2 to 5 s). */
    static final int MIN_FINISHED = 10_000;

    /** An operation as polls see it: its device, the keys it proved and, once finished, its outcome. */
    public static final class Operation {
        private final String id;
        private final String registrationId;
        private final List<String> deviceKeys;
        private volatile long finishedMillis;
        private volatile RegistrationRecord outcome;
        private volatile Throwable failure;
        private volatile boolean finished;

        Operation(String id, String registrationId, List<String> deviceKeys) {
            this.id = id;
            this.registrationId = registrationId;
            this.deviceKeys = deviceKeys;
        }

        public String id() {
            return id;
        }

        public String registrationId() {
            return registrationId;
        }

        public List<String> deviceKeys() {
            return deviceKeys;
        }

        public boolean finished() {
            return finished;
        }

        /** The registration it led to, or null if it failed. */
        public RegistrationRecord outcome() {
            return outcome;
        }

        public Throwable failure() {
            return failure;
        }
    }

    private final Map<String, Operation> operations;
    private final Queue<Operation> finishedInOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final Clock clock;
    private final Duration retention;
    private final int maxRunning;
    private final int maxFinished;

    public OperationRegistry(Clock clock, Duration retention, int maxRunning, int maxFinished) {
        this.clock = clock;
        this.retention = retention;
        this.maxRunning = maxRunning;
        this.maxFinished = maxFinished;
        // Sized for the bound at once (a table of 4 MiB at the defaults): a map that grows copies itself whole
        // on the event loop whose put crosses the threshold, and at 200,000 to 400,000 operations that put
        // stalled every registration for 37-67 ms, the p99 of a bench round.
        this.operations = new ConcurrentHashMap<>(maxRunning + maxFinished);
    }

    /**
     * How many finished operations a heap of {@code maxHeapBytes} keeps: {@link #DEFAULT_MAX_FINISHED}, or fewer
     * where they would take more than an eighth of it (once, a million ran a 1 GiB heap out of memory); with
     * fewer, a burst only sends more polls to the store.
     */
    public static int defaultMaxFinished(long maxHeapBytes) {
        return (int) Math.max(MIN_FINISHED, Math.min(DEFAULT_MAX_FINISHED, maxHeapBytes / 8 / HEAP_PER_FINISHED));
    }

    /** Reserves a new operation; a 429 when too many are running, before the caller starts any work. */
    public Operation start(String registrationId, List<String> deviceKeys) {
        if (running.incrementAndGet() > maxRunning) {
            running.decrementAndGet();
            throw new ProvisioningException(ErrorCode.THROTTLED, "Too many registrations in progress; retry later.",
                    "more than " + maxRunning + " registrations running");
        }
        Operation operation = new Operation(newId(), registrationId, deviceKeys);
        operations.put(operation.id, operation);
        return operation;
    }

    /** Records the outcome; only the outcome is kept, not the work that led to it. */
    public void finish(Operation operation, RegistrationRecord outcome, Throwable failure) {
        operation.outcome = outcome;
        operation.failure = failure;
        operation.finishedMillis = clock.millis();
        operation.finished = true;
        running.decrementAndGet();
        finishedInOrder.add(operation);
        if (finished.incrementAndGet() > maxFinished) {
            evictOldest();
        }
    }

    public Operation find(String operationId) {
        return operationId == null ? null : operations.get(operationId);
    }

    /** Drops finished operations older than the retention; called by a periodic timer. */
    public int expire() {
        long cutoff = clock.millis() - retention.toMillis();
        int removed = 0;
        for (Operation oldest = finishedInOrder.peek(); oldest != null && oldest.finishedMillis < cutoff;
                oldest = finishedInOrder.peek()) {
            if (evictOldest()) {
                removed++;
            }
        }
        return removed;
    }

    private boolean evictOldest() {
        Operation oldest = finishedInOrder.poll();
        if (oldest == null) {
            return false;
        }
        finished.decrementAndGet();
        operations.remove(oldest.id);
        return true;
    }

    public int size() {
        return operations.size();
    }

    /** Azure's shape, {@code <digit>.<16 hex>.<uuid>}: only [0-9a-f.-], so no client must escape it. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Polls are authenticated, so the ID need not be secret: a fast random beats SecureRandom's lock.
        UUID uuid = new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(3L << 62)) | (2L << 62));
        String hex = Long.toHexString(random.nextLong());
        // Padded by hand: String.format took 3 % of the event loops under load.
        return random.nextInt(1, 10) + "." + "0".repeat(16 - hex.length()) + hex + "." + uuid;
    }
}
