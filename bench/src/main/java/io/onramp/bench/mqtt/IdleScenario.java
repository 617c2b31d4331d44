package io.onramp.bench.mqtt;

import io.onramp.bench.mqtt.Measurement.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Memory per idle device connection: {@code count} devices connected (CONNECT, CONNACK, nothing
 * else) and held open, against the same broker with none. For a JVM the heap in use after a full
 * collection, for a C broker the resident set; the JVM's resident set is reported beside its heap.
 */
final class IdleScenario {

    private static final long SETTLE_MILLIS = 2_000;

    private final MqttLoadClient client;
    private final int count;

    IdleScenario(MqttLoadClient client, int count) {
        this.client = client;
        this.count = count;
    }

    Measurement run(MqttTarget target, boolean tls) throws Exception {
        target.resetMemory();
        Thread.sleep(SETTLE_MILLIS);
        OptionalLong heapBefore = target.heapBytes();
        long rssBefore = target.rssBytes();
        long start = System.nanoTime();
        List<LoadConnection> open = connectAll(target, tls);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        try {
            Thread.sleep(SETTLE_MILLIS);
            OptionalLong heapAfter = target.heapBytes();
            long rssAfter = target.rssBytes();
            Map<String, Double> details = new LinkedHashMap<>();
            details.put("connections", (double) count);
            details.put("connectsPerSecond", count / connectSeconds);
            double rssPerConnection = (rssAfter - rssBefore) / (double) count;
            details.put("rssPerConnection", rssPerConnection);
            double value = rssPerConnection;
            if (heapAfter.isPresent()) {
                value = (heapAfter.getAsLong() - heapBefore.getAsLong()) / (double) count;
                details.put("heapPerConnection", value);
                details.put("heapBeforeBytes", (double) heapBefore.getAsLong());
            }
            details.put("rssBeforeBytes", (double) rssBefore);
            return new Measurement(0, target.name(), tls ? Metric.IDLE_TLS : Metric.IDLE_PLAIN, value, details);
        } finally {
            List<CompletableFuture<Void>> closed = new ArrayList<>(open.size());
            for (LoadConnection connection : open) {
                closed.add(connection.disconnect());
            }
            CompletableFuture.allOf(closed.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            Thread.sleep(SETTLE_MILLIS);
        }
    }

    private List<LoadConnection> connectAll(MqttTarget target, boolean tls) throws Exception {
        // Bounded, so the broker's accept backlog and the TLS handshakes never pile up into timeouts.
        Semaphore inFlight = new Semaphore(tls ? 64 : 256);
        List<CompletableFuture<LoadConnection>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            pending.add(client.connect(target.host(), target.port(tls), tls, target.deviceId(i), target.deviceUser(i),
                    target.devicePassword(i), 1200).whenComplete((c, e) -> inFlight.release()));
        }
        List<LoadConnection> open = new ArrayList<>(count);
        Throwable failure = null;
        for (CompletableFuture<LoadConnection> connection : pending) {
            try {
                open.add(connection.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            open.forEach(LoadConnection::close);
            throw new IllegalStateException(target.name() + ": " + (count - open.size()) + " of " + count
                    + " idle connections failed", failure);
        }
        return open;
    }
}
