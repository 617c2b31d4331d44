package io.onramp.broker.hub;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry messages one hub dropped: with no consumer to take them, or because a consumer's
 * queue was full. Counted on the devices' event loops, reported by the expiry sweep in one WARN line
 * per hub at most every {@link #REPORT_EVERY_MILLIS}, so that a flood of drops costs one line, not one per message.
 */
final class TelemetryDrops {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryDrops.class);
    static final long REPORT_EVERY_MILLIS = 10_000;

    private final String hubHostName;
    /** Since the start: the metrics read them; the report logs what came since its last line. */
    private final LongAdder noConsumer = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    /** Only the sweep reads and writes these. */
    private long reportedAtMillis;
    private long reportedNoConsumer;
    private long reportedQueueFull;

    TelemetryDrops(String hubHostName) {
        this.hubHostName = hubHostName;
    }

    void noConsumer() {
        noConsumer.increment();
    }

    void queueFull() {
        queueFull.increment();
    }

    long noConsumerTotal() {
        return noConsumer.sum();
    }

    long queueFullTotal() {
        return queueFull.sum();
    }

    /** Logs what was dropped since the last line, if anything was and that line is old enough. */
    void report(long nowMillis, int queueLimit) {
        if (nowMillis - reportedAtMillis < REPORT_EVERY_MILLIS) {
            return;
        }
        long noConsumerTotal = noConsumer.sum();
        long queueFullTotal = queueFull.sum();
        long none = noConsumerTotal - reportedNoConsumer;
        long full = queueFullTotal - reportedQueueFull;
        if (none == 0 && full == 0) {
            return;
        }
        reportedAtMillis = nowMillis;
        reportedNoConsumer = noConsumerTotal;
        reportedQueueFull = queueFullTotal;
        StringBuilder advice = new StringBuilder();
        if (none > 0) {
            advice.append("; ").append(none).append(" had no consumer subscribed: connect a consumer (")
                    .append(hubHostName).append("/$service) with CleanSession=0, which keeps up to ").append(queueLimit)
                    .append(" messages while it is away");
        }
        if (full > 0) {
            advice.append("; ").append(full).append(" found a consumer's queue (").append(queueLimit)
                    .append(" messages) full: the consumer must read faster");
        }
        LOG.warn("{}: {} telemetry messages dropped since the last report{}", hubHostName, none + full, advice);
    }
}
