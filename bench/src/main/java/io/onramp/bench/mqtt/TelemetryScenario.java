package io.onramp.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.bench.mqtt.Measurement.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Telemetry delivered to one consumer per second. The consumer subscribes to
 * {@code devices/+/messages/events/#} at the QoS measured (and acknowledges at QoS 1); each
 * publisher, a device, publishes fixed-size messages to {@code devices/{id}/messages/events/} as
 * fast as the broker takes them: at QoS 0 while its socket is writable, at QoS 1 with a window of
 * unacknowledged messages (each PUBACK sends the next). The paced variants also keep at most
 * publishers x window messages on their way to the consumer (end-to-end), so that they measure
 * what a broker delivers when it is not flooded beyond what the consumer gets. After a ramp-up, deliveries at the consumer are counted
 * over a fixed window.
 */
final class TelemetryScenario {

    static final String CONSUMER_FILTER = "devices/+/messages/events/#";
    private static final int QOS0_BATCH = 32;
    private static final long DRAIN_QUIET_MILLIS = 300;
    private static final long DRAIN_MAX_MILLIS = 5_000;

    private final MqttLoadClient client;
    private final int publishers;
    private final int window;
    private final byte[] payload;

    TelemetryScenario(MqttLoadClient client, int publishers, int window, int payloadBytes) {
        this.client = client;
        this.publishers = publishers;
        this.window = window;
        this.payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
    }

    Measurement run(MqttTarget target, Metric metric, int round, long rampMillis, long measureMillis) throws Exception {
        boolean amqp = metric == Metric.AMQP;
        MqttQoS qos = metric == Metric.QOS1 || metric == Metric.QOS1_PACED || amqp ? MqttQoS.AT_LEAST_ONCE
                : MqttQoS.AT_MOST_ONCE;
        boolean paced = metric == Metric.QOS0_PACED || metric == Metric.QOS1_PACED;
        Credit credit = paced ? new Credit((long) publishers * window) : null;
        LongAdder delivered = new LongAdder();
        LongAdder published = new LongAdder();
        LongAdder malformed = new LongAdder();
        LongAdder stalls = new LongAdder();
        LoadConnection consumer = subscribeConsumer(target, qos, delivered, malformed, credit);
        Pumps pumps = new Pumps(published);
        ScheduledExecutorService watchdog = watch(credit, stalls);
        List<LoadConnection> senders = new ArrayList<>();
        AmqpPublishers amqpSenders = null;
        try {
            if (amqp) {
                amqpSenders = AmqpPublishers.start(target, publishers, window, payload, published);
            } else {
                senders.addAll(startPublishers(target, qos, pumps, credit));
            }
            Thread.sleep(rampMillis);
            long deliveredBefore = delivered.sum();
            long publishedBefore = published.sum();
            CpuShare cpu = CpuShare.start(target.pid());
            long start = System.nanoTime();
            Thread.sleep(measureMillis);
            long deliveredCount = delivered.sum() - deliveredBefore;
            long publishedCount = published.sum() - publishedBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuShare.Cores cores = cpu.stop();
            pumps.stop();
            long closedEarly = senders.stream().filter(s -> !s.isActive()).count() + (consumer.isActive() ? 0 : 1)
                    + (amqpSenders == null ? 0 : amqpSenders.lost());
            if (amqpSenders != null) {
                amqpSenders.stop();
            }
            for (LoadConnection sender : senders) {
                sender.disconnect().get(10, TimeUnit.SECONDS);
            }
            awaitDrained(delivered);
            Map<String, Double> details = new LinkedHashMap<>();
            details.put("publishedPerSecond", publishedCount / seconds);
            // Over the whole run, once in-flight messages arrived: what the broker took but never delivered.
            details.put("lossPercent", 100.0 * Math.max(0, published.sum() - delivered.sum()) / Math.max(1, published.sum()));
            details.put("clientCores", cores.client());
            details.put("brokerCores", cores.broker());
            details.put("otherCores", cores.others());
            details.put("connectionsLost", (double) closedEarly);
            // Deliveries whose payload is not the one sent: a counting error, or a broker that mangles messages.
            details.put("malformed", (double) malformed.sum());
            if (paced) {
                details.put("creditStalls", (double) stalls.sum());
            }
            if (amqpSenders != null) {
                details.put("refused", (double) amqpSenders.refused());
            }
            return new Measurement(round, target.name(), metric, deliveredCount / seconds, details);
        } finally {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            pumps.stop();
            for (LoadConnection sender : senders) {
                sender.close();
            }
            if (amqpSenders != null) {
                amqpSenders.close();
            }
            consumer.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /** Connects every publisher first, then starts them all, so that none runs alone for long. */
    private List<LoadConnection> startPublishers(MqttTarget target, MqttQoS qos, Pumps pumps, Credit credit)
            throws Exception {
        List<LoadConnection> senders = new ArrayList<>();
        try {
            for (int i = 0; i < publishers; i++) {
                senders.add(client.connect(target.host(), target.port(false), false, target.deviceId(i),
                        target.deviceUser(i), target.devicePassword(i), 600).get(20, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            senders.forEach(LoadConnection::close);
            throw e;
        }
        for (int i = 0; i < publishers; i++) {
            String topic = "devices/" + target.deviceId(i) + "/messages/events/";
            PublishTemplate template = new PublishTemplate(topic, qos, payload);
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                pumps.window(senders.get(i), template, window, credit);
            } else {
                pumps.flood(senders.get(i), template, QOS0_BATCH, credit);
            }
        }
        return senders;
    }

    /** Paced runs only: looks for stalled credit (messages the broker dropped) every 200 ms. */
    private static ScheduledExecutorService watch(Credit credit, LongAdder stalls) {
        if (credit == null) {
            return null;
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mqtt-bench-credit");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            if (credit.refillIfStalled()) {
                stalls.increment();
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        return watchdog;
    }

    private LoadConnection subscribeConsumer(MqttTarget target, MqttQoS qos, LongAdder delivered, LongAdder malformed,
            Credit credit) throws Exception {
        LoadConnection consumer = client.connect(target.consumerHost(), target.consumerPort(), false, "mqtt-bench-consumer",
                target.consumerUser(), target.consumerPassword(), 600).get(20, TimeUnit.SECONDS);
        CountDownLatch subscribed = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger(-1);
        consumer.listen(new LoadConnection.Listener() {
            @Override
            public void publish(LoadConnection connection, int messageQos, int packetId, int payloadBytes) {
                delivered.increment();
                if (payloadBytes != payload.length) {
                    malformed.increment();
                }
                if (credit != null) {
                    credit.delivered();
                }
                if (messageQos == 1) {
                    connection.acknowledge(packetId);
                }
            }

            @Override
            public void subAck(LoadConnection connection, int grantedQos) {
                granted.set(grantedQos);
                subscribed.countDown();
            }
        });
        consumer.subscribe(CONSUMER_FILTER, qos);
        if (!subscribed.await(10, TimeUnit.SECONDS) || granted.get() != qos.value()) {
            consumer.close();
            throw new IllegalStateException(target.name() + ": SUBACK for " + CONSUMER_FILTER + " at " + qos + " granted "
                    + granted.get());
        }
        return consumer;
    }

    /** Waits until deliveries stop growing: what is still on its way is counted before the loss is. */
    private static void awaitDrained(LongAdder delivered) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DRAIN_MAX_MILLIS;
        long last = -1;
        while (System.currentTimeMillis() < deadline && delivered.sum() != last) {
            last = delivered.sum();
            Thread.sleep(DRAIN_QUIET_MILLIS);
        }
    }
}
