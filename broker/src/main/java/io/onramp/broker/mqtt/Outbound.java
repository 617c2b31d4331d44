package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages a connection sends to its client: a bounded queue, the QoS 1 in-flight window and
 * packet ids. Producers on other event loops hand messages over through a lock-free queue drained
 * by one task, so a busy fan-out costs one task per batch rather than one per message. Everything
 * but {@link #enqueue} runs on the connection's event loop.
 */
final class Outbound {

    private static final int MAX_PACKET_ID = 0xFFFF;

    private final Channel channel;
    private final int maxInflight;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger handoffScheduled = new AtomicInteger();
    // Allocated on first use: most device connections never receive much, and idle ones must stay small.
    private volatile Queue<Message> handoff;
    private ArrayDeque<Message> waiting;
    private IntObjectHashMap<Message> inflight;
    private int nextPacketId = 1;
    private boolean closed;

    Outbound(Channel channel, MqttLimits limits) {
        this.channel = channel;
        this.maxInflight = limits.maxInflight();
        this.maxPending = limits.maxInflight() + limits.maxQueued();
    }

    /** {@code duplicate}: the DUP flag, for a message the client's session may have had before. */
    record Message(String topic, MqttQoS qos, ByteBuf payload, Promise<Void> outcome, boolean duplicate) {
        void fail(String why) {
            payload.release();
            if (outcome != null) {
                outcome.tryFail(why);
            }
        }
    }

    /** From any thread: queues a message, or drops it when the connection is gone or too far behind. */
    boolean enqueue(Message message) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            message.fail("outbound queue full");
            return false;
        }
        if (channel.eventLoop().inEventLoop() && (handoff == null || handoff.isEmpty())) {
            if (closed) {
                pending.decrementAndGet();
                message.fail("connection closed");
                return false;
            }
            waiting().add(message);
            pump();
            return true;
        }
        handoff().offer(message);
        if (handoffScheduled.compareAndSet(0, 1)) {
            channel.eventLoop().execute(this::drainHandoff);
        }
        return true;
    }

    private void drainHandoff() {
        handoffScheduled.set(0);
        Queue<Message> queue = handoff;
        Message message;
        while ((message = queue.poll()) != null) {
            if (closed) {
                pending.decrementAndGet();
                message.fail("connection closed");
            } else {
                waiting().add(message);
            }
        }
        pump();
    }

    /** Writes what the window and the socket allow, then flushes once. */
    void pump() {
        if (waiting == null || closed) {
            return;
        }
        boolean wrote = false;
        while (!waiting.isEmpty() && channel.isWritable()) {
            Message next = waiting.peek();
            if (next.qos() == MqttQoS.AT_LEAST_ONCE && inflight().size() >= maxInflight) {
                break;
            }
            waiting.poll();
            write(next);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void write(Message message) {
        int packetId = 0;
        if (message.qos() == MqttQoS.AT_LEAST_ONCE) {
            packetId = nextPacketId();
            inflight.put(packetId, message);
        }
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, message.duplicate(), message.qos(), false, 0),
                new MqttPublishVariableHeader(message.topic(), packetId), message.payload());
        channel.write(publish, channel.voidPromise());
        if (packetId == 0) {
            pending.decrementAndGet();
            if (message.outcome() != null) {
                message.outcome().tryComplete();
            }
        }
    }

    private int nextPacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
    }

    /** The client's PUBACK. */
    void acknowledged(int packetId) {
        Message message = inflight == null ? null : inflight.remove(packetId);
        if (message == null) {
            return;
        }
        pending.decrementAndGet();
        if (message.outcome() != null) {
            message.outcome().tryComplete();
        }
        pump();
    }

    /** Fails every message not yet acknowledged; later ones are refused. */
    void close() {
        closed = true;
        if (inflight != null) {
            // Their payloads went to the socket, which released them: only the outcomes are left to fail.
            inflight.values().forEach(m -> {
                if (m.outcome() != null) {
                    m.outcome().tryFail("connection closed");
                }
            });
            inflight.clear();
        }
        if (waiting != null) {
            waiting.forEach(m -> m.fail("connection closed"));
            waiting.clear();
        }
        Queue<Message> queue = handoff;
        if (queue != null) {
            Message message;
            while ((message = queue.poll()) != null) {
                message.fail("connection closed");
            }
        }
    }

    private ArrayDeque<Message> waiting() {
        if (waiting == null) {
            waiting = new ArrayDeque<>(8);
        }
        return waiting;
    }

    private IntObjectHashMap<Message> inflight() {
        if (inflight == null) {
            inflight = new IntObjectHashMap<>(8);
        }
        return inflight;
    }

    private Queue<Message> handoff() {
        Queue<Message> queue = handoff;
        if (queue == null) {
            synchronized (this) {
                queue = handoff;
                if (queue == null) {
                    queue = PlatformDependent.newMpscQueue();
                    handoff = queue;
                }
            }
        }
        return queue;
    }
}
