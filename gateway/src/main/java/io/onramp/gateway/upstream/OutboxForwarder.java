package io.onramp.gateway.upstream;

import io.onramp.broker.hub.TelemetryForwarder;
import io.onramp.broker.hub.TelemetryMessage;
import io.onramp.gateway.store.TelemetryOutbox;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugged into a hub's telemetry bus: puts each message in the hub's outbox with the topic a local consumer reads it
 * on (properties in its bag; the upstream's prefix is put before it when it is sent). The device is acknowledged once the
 * message is on disk; when the outbox is full the message is refused, and the hub closes the device's connection
 * (it keeps its message and sends it again), with a WARN at most once a minute.
 */
final class OutboxForwarder implements TelemetryForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxForwarder.class);
    private static final long FULL_REPORT_NANOS = 60_000_000_000L;

    private final String hubName;
    private final TelemetryOutbox outbox;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - FULL_REPORT_NANOS);

    OutboxForwarder(String hubName, TelemetryOutbox outbox) {
        this.hubName = hubName;
        this.outbox = outbox;
    }

    @Override
    public Future<Void> forward(TelemetryMessage message) {
        // The body is the hub's only during this call: the outbox copies it before returning.
        Future<Void> added = outbox.add(message.topic(), message.body());
        if (added.failed() && added.cause() instanceof TelemetryOutbox.FullException full) {
            refusedBecauseFull(full);
        }
        return added;
    }

    /** Messages refused since the start because the outbox was full. */
    long refused() {
        return refused.get();
    }

    private void refusedBecauseFull(TelemetryOutbox.FullException full) {
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastReport.get();
        if (now - last >= FULL_REPORT_NANOS && lastReport.compareAndSet(last, now)) {
            LOG.warn("hub {}: {}, {} messages waiting for the upstream: devices sending telemetry are disconnected and"
                    + " keep it until the upstream takes messages again ({} refused since the start)", hubName,
                    full.getMessage(), outbox.waitingCount(), count);
        }
    }
}
