package io.onramp.broker.hub;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.topic.HubTopics;
import io.onramp.broker.topic.MessageProperties;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cloud-to-device messages waiting for their device (hub-device-protocol.md 3.5): a FIFO of at
 * most 50 per device, each expiring after its time to live. A message is sent when the device
 * subscribes to its C2D topic; the device's PUBACK completes it, a connection lost before the
 * PUBACK puts it back to be sent again on the next subscription.
 */
final class CloudToDeviceQueues {

    static final int MAX_QUEUED = 50;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private final DeviceRegistry registry;
    private final ConnectedDevices connected;
    private final Clock clock;
    private final Map<String, DeviceQueue> queues = new ConcurrentHashMap<>();

    CloudToDeviceQueues(DeviceRegistry registry, ConnectedDevices connected, Clock clock) {
        this.registry = registry;
        this.connected = connected;
        this.clock = clock;
    }

    private static final class Queued {
        final CloudMessage message;
        final String messageId;
        final Instant expiresAt;
        boolean sending;
        int deliveryCount;

        Queued(CloudMessage message, String messageId, Instant expiresAt) {
            this.message = message;
            this.messageId = messageId;
            this.expiresAt = expiresAt;
        }
    }

    private static final class DeviceQueue {
        final ArrayDeque<Queued> messages = new ArrayDeque<>();
    }

    Future<Void> send(String hubHostName, String deviceId, CloudMessage message) {
        if (message.body().length > MAX_BODY_BYTES) {
            return Future.failedFuture(new HubException(413, "MessageTooLarge", "Cloud-to-device messages are limited to 64 KiB."));
        }
        return registry.find(hubHostName, deviceId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(HubException.deviceNotFound(deviceId));
            }
            String key = ConnectedDevices.key(hubHostName, deviceId);
            DeviceQueue queue = queues.computeIfAbsent(key, k -> new DeviceQueue());
            Instant now = clock.instant();
            synchronized (queue) {
                dropExpired(queue, now);
                if (queue.messages.size() >= MAX_QUEUED) {
                    return Future.failedFuture(new HubException(403, "DeviceMaximumQueueDepthExceeded",
                            "Device " + deviceId + " already has " + MAX_QUEUED + " messages waiting."));
                }
                String messageId = message.systemProperties().getOrDefault("message-id", UUID.randomUUID().toString());
                Instant expiresAt = message.expiresAt() != null ? message.expiresAt() : now.plus(DEFAULT_TTL);
                queue.messages.add(new Queued(message, messageId, expiresAt));
            }
            DeviceSession session = connected.session(hubHostName, deviceId);
            if (session != null && session.cloudToDeviceSubscribed()) {
                session.channel().execute(() -> deliver(session));
            }
            return Future.<Void>succeededFuture();
        });
    }

    /** Sends the waiting messages to a subscribed session. */
    void deliver(DeviceSession session) {
        DeviceQueue queue = queues.get(session.key());
        if (queue == null || !session.cloudToDeviceSubscribed()) {
            return;
        }
        synchronized (queue) {
            dropExpired(queue, clock.instant());
            for (Queued queued : queue.messages) {
                if (queued.sending) {
                    continue;
                }
                queued.sending = true;
                queued.deliveryCount++;
                String topic = HubTopics.cloudToDevice(session.deviceId(), properties(queued));
                session.channel().publish(topic, MqttQoS.AT_LEAST_ONCE, Unpooled.wrappedBuffer(queued.message.body()))
                        .onComplete(outcome -> settled(queue, queued, outcome.succeeded()));
            }
        }
    }

    private static void settled(DeviceQueue queue, Queued queued, boolean acknowledged) {
        synchronized (queue) {
            if (acknowledged) {
                queue.messages.remove(queued);
            } else {
                queued.sending = false;
            }
        }
    }

    int count(String hubHostName, String deviceId) {
        DeviceQueue queue = queues.get(ConnectedDevices.key(hubHostName, deviceId));
        if (queue == null) {
            return 0;
        }
        synchronized (queue) {
            dropExpired(queue, clock.instant());
            return queue.messages.size();
        }
    }

    /** The device was deleted: its messages go with it. */
    void purge(String hubHostName, String deviceId) {
        queues.remove(ConnectedDevices.key(hubHostName, deviceId));
    }

    private static void dropExpired(DeviceQueue queue, Instant now) {
        for (Iterator<Queued> it = queue.messages.iterator(); it.hasNext(); ) {
            Queued queued = it.next();
            if (!queued.sending && queued.expiresAt.isBefore(now)) {
                it.remove();
            }
        }
    }

    private static MessageProperties properties(Queued queued) {
        Map<String, String> system = new LinkedHashMap<>(queued.message.systemProperties());
        system.put("message-id", queued.messageId);
        if (queued.message.expiresAt() != null) {
            system.put("absolute-expiry-time", queued.message.expiresAt().toString());
        }
        return new MessageProperties(system, queued.message.applicationProperties());
    }
}
