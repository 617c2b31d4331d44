package io.onramp.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.bench.mqtt.MqttLoadClient.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The measurements, each against one broker with the same client code. */
final class Scenarios {

    private static final int PAYLOAD_BYTES = 100;
    private static final String CONSUMER_FILTER = "devices/+/messages/events/#";

    private final MqttLoadClient client;

    Scenarios(MqttLoadClient client) {
        this.client = client;
    }

    /**
     * Telemetry delivered to one consumer per second: {@code publishers} devices publish 100-byte
     * messages as fast as the broker takes them (QoS 0: as long as their sockets are writable; QoS 1:
     * a window of unacknowledged messages each), the consumer subscribes at the same QoS.
     */
    double throughput(BrokerUnderTest broker, MqttQoS qos, int publishers, int window, long warmupMillis, long measureMillis)
            throws Exception {
        LongAdder delivered = new LongAdder();
        Connection consumer = connect(broker, "bench-consumer", broker.consumerUser(), broker.consumerPassword());
        CountDownLatch subscribed = new CountDownLatch(1);
        consumer.listen(new MqttLoadClient.Listener() {
            @Override
            public void publishReceived(Connection connection, MqttPublishMessage publish) {
                delivered.increment();
                if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    connection.pubAck(publish.variableHeader().packetId());
                }
            }

            @Override
            public void subAckReceived() {
                subscribed.countDown();
            }
        });
        consumer.subscribe(CONSUMER_FILTER, qos);
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(broker.name() + ": no SUBACK");
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ByteBuf payload = MqttLoadClient.payload(PAYLOAD_BYTES);
        List<Connection> senders = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Connection sender = connect(broker, broker.deviceId(i), broker.deviceUser(i), broker.devicePassword(i));
            senders.add(sender);
            String topic = "devices/" + broker.deviceId(i) + "/messages/events/";
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                startWindow(sender, topic, payload, window, running);
            } else {
                startFlood(sender, topic, payload, running);
            }
        }
        Thread.sleep(warmupMillis);
        long before = delivered.sum();
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        long count = delivered.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Connection sender : senders) {
            sender.close().get(10, TimeUnit.SECONDS);
        }
        consumer.close().get(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        return count / seconds;
    }

    /** QoS 1: keep {@code window} messages unacknowledged; each PUBACK sends the next. */
    private static void startWindow(Connection sender, String topic, ByteBuf payload, int window, AtomicBoolean running) {
        AtomicLong nextId = new AtomicLong();
        sender.listen(new MqttLoadClient.Listener() {
            @Override
            public void pubAckReceived(int packetId) {
                if (running.get()) {
                    sender.publish(topic, MqttQoS.AT_LEAST_ONCE, packetId(nextId), payload.duplicate(), false);
                }
            }
        });
        sender.channel.eventLoop().execute(() -> {
            for (int i = 0; i < window; i++) {
                sender.publish(topic, MqttQoS.AT_LEAST_ONCE, packetId(nextId), payload.duplicate(), false);
            }
            sender.channel.flush();
        });
    }

    private static int packetId(AtomicLong next) {
        return (int) (next.getAndIncrement() % 65535) + 1;
    }

    /** QoS 0: write while the socket takes it, in batches, and yield to the other connections in between. */
    private static void startFlood(Connection sender, String topic, ByteBuf payload, AtomicBoolean running) {
        Channel channel = sender.channel;
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                if (!running.get() || !channel.isActive()) {
                    return;
                }
                for (int i = 0; i < 64 && channel.isWritable(); i++) {
                    sender.publish(topic, MqttQoS.AT_MOST_ONCE, 0, payload.duplicate(), false);
                }
                channel.flush();
                if (channel.isWritable()) {
                    channel.eventLoop().execute(this);
                } else {
                    channel.eventLoop().schedule(this, 200, TimeUnit.MICROSECONDS);
                }
            }
        };
        channel.eventLoop().execute(pump);
    }

    /** CONNECT/CONNACK per second: {@code lanes} devices connect, get CONNACK, close, and again. */
    double connectRate(BrokerUnderTest broker, int lanes, long warmupMillis, long measureMillis) throws Exception {
        LongAdder accepted = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done.add(finished);
            reconnectLoop(broker, lane, accepted, running, finished);
        }
        Thread.sleep(warmupMillis);
        long before = accepted.sum();
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        long count = accepted.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        Thread.sleep(500);
        return count / seconds;
    }

    private void reconnectLoop(BrokerUnderTest broker, int lane, LongAdder accepted, AtomicBoolean running,
            CompletableFuture<Void> finished) {
        if (!running.get()) {
            finished.complete(null);
            return;
        }
        client.connect(broker.host(), broker.plainPort(), false, broker.deviceId(lane), broker.deviceUser(lane),
                broker.devicePassword(lane), 60).whenComplete((connection, failure) -> {
                    if (failure != null) {
                        finished.completeExceptionally(failure);
                        return;
                    }
                    accepted.increment();
                    connection.close().whenComplete((v, e) -> reconnectLoop(broker, lane, accepted, running, finished));
                });
    }

    /** Memory per idle device connection: {@code count} connections held open, measured against none. */
    double memoryPerConnection(BrokerUnderTest broker, int count, boolean tls) throws Exception {
        long baseline = broker.memoryBytes();
        List<Connection> open = new ArrayList<>(count);
        Semaphore connecting = new Semaphore(tls ? 64 : 256);
        List<CompletableFuture<Connection>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            connecting.acquire();
            pending.add(client.connect(broker.host(), tls ? broker.tlsPort() : broker.plainPort(), tls, broker.deviceId(i),
                    broker.deviceUser(i), broker.devicePassword(i), 900).whenComplete((c, e) -> connecting.release()));
        }
        for (CompletableFuture<Connection> connection : pending) {
            open.add(connection.get(60, TimeUnit.SECONDS));
        }
        Thread.sleep(2000);
        long loaded = broker.memoryBytes();
        for (Connection connection : open) {
            connection.close();
        }
        Thread.sleep(3000);
        return (loaded - baseline) / (double) count;
    }

    private Connection connect(BrokerUnderTest broker, String clientId, String user, String password) throws Exception {
        return client.connect(broker.host(), broker.plainPort(), false, clientId, user, password, 600).get(20, TimeUnit.SECONDS);
    }
}
