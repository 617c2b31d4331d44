package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import io.vertx.core.Future;

/**
  * Registration operations that devices poll, kept for a while after they end (spec 3: at least ten
  * minutes). Bounded, so a flood of registrations cannot exhaust the heap.
  */
public final class OperationRegistry {

    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(15);
    public static final int DEFAULT_CAPACITY = 1_000_000;

    /** One operation: its device, the keys it proved, and the registration it leads to. */
    public record Operation(String id, String registrationId, List<String> deviceKeys, Future<RegistrationRecord> result,
            long createdMillis) {}

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration retention;
    private final int capacity;

    public OperationRegistry(Clock clock, Duration retention, int capacity) {
        this.clock = clock;
        this.retention = retention;
        this.capacity = capacity;
    }

    public Operation start(String registrationId, List<String> deviceKeys, Future<RegistrationRecord> result) {
        if (operations.size() >= capacity) {
            throw new ProvisioningException(ErrorCode.THROTTLED, "Too many registrations in progress; retry later.",
                    "operation registry full at " + capacity);
        }
        Operation operation = new Operation(newId(), registrationId, deviceKeys, result, clock.millis());
        operations.put(operation.id(), operation);
        return operation;
    }

    public Operation find(String operationId) {
        return operationId == null ? null : operations.get(operationId);
    }

    /** Drops operations older than the retention; called by a periodic timer. */
    public int expire() {
        long cutoff = clock.millis() - retention.toMillis();
        int before = operations.size();
        operations.values().removeIf(op -> op.createdMillis() < cutoff && op.result().isComplete());
        return before - operations.size();
    }

    public int size() {
        return operations.size();
    }

    /** Azure's shape, {@code <digit>.<16 hex>.<uuid>}: only [0-9a-f.-], so no client must escape it. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Polls are authenticated, so the ID need not be secret: a fast random beats SecureRandom's lock.
        UUID uuid = new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(3L << 62)) | (2L << 62));
        return random.nextInt(1, 10) + "." + String.format("%016x", random.nextLong()) + "." + uuid;
    }
}
