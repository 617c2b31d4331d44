package io.onramp.bench.mqtt;

import io.onramp.bench.mqtt.Measurement.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * CONNECT/CONNACK per second: {@code lanes} lanes each open a fresh connection (with a full TLS
 * handshake for the TLS figure: the client resumes no session), send CONNECT, wait
 * for CONNACK, send DISCONNECT and close, then go on with the next device. Lane {@code l} takes
 * devices l, l + lanes, l + 2 lanes, ... of the prepared ones, so a device comes back only after
 * every other one had its turn, and never while its previous session may still be closing.
 */
final class ConnectScenario {

    private final MqttLoadClient client;
    private final int lanes;

    ConnectScenario(MqttLoadClient client, int lanes) {
        this.client = client;
        this.lanes = lanes;
    }

    Measurement run(MqttTarget target, boolean tls, int round, long rampMillis, long measureMillis) throws Exception {
        LongAdder accepted = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Lanes state = new Lanes(target, tls, accepted, failed, firstFailure);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done.add(finished);
            state.next(lane, lane, finished);
        }
        Thread.sleep(rampMillis);
        long before = accepted.sum();
        long failedBefore = failed.sum();
        CpuShare cpu = CpuShare.start(target.pid());
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        long count = accepted.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuShare.Cores cores = cpu.stop();
        state.running = false;
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        Map<String, Double> details = new LinkedHashMap<>();
        details.put("failed", (double) (failed.sum() - failedBefore));
        details.put("clientCores", cores.client());
        details.put("brokerCores", cores.broker());
        details.put("otherCores", cores.others());
        if (firstFailure.get() != null) {
            System.out.println("    " + target.name() + " connect failures: " + failed.sum() + ", e.g. " + firstFailure.get());
        }
        return new Measurement(round, target.name(), tls ? Metric.CONNECT_TLS : Metric.CONNECT, count / seconds, details);
    }

    /** The lanes' loop: connect, count, disconnect, next device; a failure is counted and the lane goes on. */
    private final class Lanes {
        private final MqttTarget target;
        private final boolean tls;
        private final LongAdder accepted;
        private final LongAdder failed;
        private final AtomicReference<Throwable> firstFailure;
        private volatile boolean running = true;

        Lanes(MqttTarget target, boolean tls, LongAdder accepted, LongAdder failed, AtomicReference<Throwable> firstFailure) {
            this.target = target;
            this.tls = tls;
            this.accepted = accepted;
            this.failed = failed;
            this.firstFailure = firstFailure;
        }

        void next(int lane, int device, CompletableFuture<Void> finished) {
            if (!running) {
                finished.complete(null);
                return;
            }
            int following = device + lanes < target.devices() ? device + lanes : lane;
            client.connect(target.host(), target.port(tls), tls, target.deviceId(device), target.deviceUser(device),
                    target.devicePassword(device), 60).whenComplete((connection, failure) -> {
                        if (failure != null) {
                            failed.increment();
                            firstFailure.compareAndSet(null, failure);
                            next(lane, following, finished);
                            return;
                        }
                        accepted.increment();
                        connection.disconnect().whenComplete((v, e) -> next(lane, following, finished));
                    });
        }
    }
}
