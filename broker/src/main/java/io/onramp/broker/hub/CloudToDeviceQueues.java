package io.onramp.broker.hub;

import io.onramp.broker.hub.CloudMessageStore.Backlog;
import io.onramp.broker.hub.CloudMessageStore.Waiting;
import io.onramp.broker.hub.DeviceChannel.Settlement;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.topic.MessageProperties;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud-to-device messages waiting for their device (hub-device-protocol.md 3.5): at most 50 per
 * device, each expiring after its time to live, kept in the {@link CloudMessageStore} until the
 * device's PUBACK. A device gets what waits when it subscribes to its C2D topic and whenever a new
 * message comes while it is subscribed; a message whose PUBACK was lost is sent again on the next
 * subscription, with DUP set if the device resumed the session it was sent to.
 */
final class CloudToDeviceQueues {

    private static final Logger LOG = LoggerFactory.getLogger(CloudToDeviceQueues.class);
    static final int MAX_QUEUED = 50;
    /** IoT hub's default maxDeliveryCount: a message abandoned this often is dead-lettered. */
    static final int MAX_DELIVERIES = 10;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** How often expired messages are deleted and the per-device counts recounted. */
    static final Duration EXPIRY_SWEEP = Duration.ofMinutes(1);

    private final DeviceRegistry registry;
    private final ConnectedDevices connected;
    private final Clock clock;
    private final CloudMessageStore store;
    /** Messages waiting per device that has any, for the registry's cloudToDeviceMessageCount; recounted by each sweep. */
    private final Map<String, Integer> backlog = new ConcurrentHashMap<>();
    /**
     * Per device, the messages sent to its current MQTT session and not acknowledged: sent again to the same
     * session (resumed with CleanSession = 0) they carry DUP (spec 3.5 [D]); a new session starts afresh.
     */
    private final Map<String, Set<Long>> sentToSession = new ConcurrentHashMap<>();
    /** How often each message was abandoned, by device key and sequence; forgotten at a restart, as Azure does not. */
    private final Map<String, Integer> abandoned = new ConcurrentHashMap<>();
    private final PolledMessages polled = new PolledMessages();

    CloudToDeviceQueues(DeviceRegistry registry, ConnectedDevices connected, Clock clock, CloudMessageStore store) {
        this.registry = registry;
        this.connected = connected;
        this.clock = clock;
        this.store = store;
    }

    Future<Void> send(String hubHostName, String deviceId, CloudMessage message) {
        if (message.body().length > MAX_BODY_BYTES) {
            return Future.failedFuture(new HubException(413, "MessageTooLarge", "Cloud-to-device messages are limited to 64 KiB."));
        }
        return registry.find(hubHostName, deviceId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(HubException.deviceNotFound(deviceId));
            }
            Instant now = clock.instant();
            String messageId = message.systemProperties().getOrDefault("message-id", UUID.randomUUID().toString());
            Instant expiresAt = message.expiresAt() != null ? message.expiresAt() : now.plus(DEFAULT_TTL);
            return store.add(hubHostName, deviceId, messageId, message, expiresAt, MAX_QUEUED, now);
        }).compose(stored -> {
            if (!stored) {
                return Future.failedFuture(new HubException(403, "DeviceMaximumQueueDepthExceeded",
                        "Device " + deviceId + " already has " + MAX_QUEUED + " messages waiting."));
            }
            backlog.merge(ConnectedDevices.key(hubHostName, deviceId), 1, Integer::sum);
            DeviceSession session = connected.session(hubHostName, deviceId);
            if (session != null && session.cloudToDeviceSubscribed()) {
                deliver(session);
            }
            return Future.<Void>succeededFuture();
        });
    }

    /** A device connected: unless it resumed its session, what was sent to the one before is new to it. */
    void sessionStarted(DeviceSession session) {
        if (!session.sessionPresent()) {
            sentToSession.remove(session.key());
        }
    }

    /** Sends what waits to a subscribed session, skipping what is already on its way to it. */
    void deliver(DeviceSession session) {
        store.waiting(session.hubHostName(), session.deviceId(), clock.instant())
                .onSuccess(waiting -> session.channel().execute(() -> send(session, waiting)))
                .onFailure(e -> LOG.warn("cloud-to-device messages of {} on {} could not be read",
                        session.deviceId(), session.hubHostName(), e));
    }

    /** On the session's event loop. */
    private void send(DeviceSession session, List<Waiting> waiting) {
        for (Waiting message : waiting) {
            if (!session.cloudToDeviceSubscribed() || !session.startSending(message.sequence())) {
                continue;
            }
            boolean again = !sentToSession.computeIfAbsent(session.key(), k -> ConcurrentHashMap.newKeySet())
                    .add(message.sequence());
            session.channel().cloudToDevice(new CloudDelivery(message.sequence(), properties(message),
                            message.message().body(), again))
                    .onComplete(outcome -> {
                        // Removed from the store before it counts as no longer on its way: a delivery
                        // started meanwhile must not send it again.
                        Settlement settlement = outcome.succeeded() ? outcome.result() : null;
                        boolean redeliver = settlement == Settlement.ABANDONED
                                && !deadLettered(session.hubHostName(), session.deviceId(), message);
                        Future<Void> settled = settlement == null || redeliver ? Future.succeededFuture()
                                : settled(session.hubHostName(), session.deviceId(), message, settlement);
                        settled.onComplete(v -> session.channel().execute(() -> {
                            session.doneSending(message.sequence());
                            if (redeliver) {
                                deliver(session);
                            }
                        }));
                    });
        }
    }

    /**
     * Counts an abandon: the message goes back to the device at once (as IoT hub puts it back in the queue), until it
     * was delivered {@link #MAX_DELIVERIES} times; then it is dropped, as Azure dead-letters it.
     */
    private boolean deadLettered(String hubHostName, String deviceId, Waiting message) {
        String key = ConnectedDevices.key(hubHostName, deviceId) + '#' + message.sequence();
        int deliveries = abandoned.merge(key, 1, Integer::sum);
        if (deliveries < MAX_DELIVERIES) {
            return false;
        }
        abandoned.remove(key);
        LOG.info("{} on {} abandoned cloud-to-device message {} {} times: it is dropped", deviceId, hubHostName,
                message.messageId(), deliveries);
        return true;
    }

    private Future<Void> settled(String hubHostName, String deviceId, Waiting message, Settlement settlement) {
        String deviceKey = ConnectedDevices.key(hubHostName, deviceId);
        abandoned.remove(deviceKey + '#' + message.sequence());
        if (settlement == Settlement.REJECTED) {
            LOG.info("{} on {} rejected cloud-to-device message {}: it is dropped", deviceId, hubHostName,
                    message.messageId());
        }
        return store.remove(hubHostName, deviceId, message.sequence())
                .onSuccess(v -> {
                    backlog.computeIfPresent(deviceKey, (key, count) -> count > 1 ? count - 1 : null);
                    sentToSession.computeIfPresent(deviceKey, (key, sent) -> {
                        sent.remove(message.sequence());
                        return sent.isEmpty() ? null : sent;
                    });
                })
                // Still stored: the device gets it once more on its next subscription (at least once).
                .onFailure(e -> LOG.warn("acknowledged cloud-to-device message {} of {} could not be removed",
                        message.messageId(), deviceId, e));
    }

    /**
     * The oldest message waiting for a device that polls (HTTPS, spec 5), locked to it: no other poll gets it until it
     * is settled or {@link PolledMessages#LOCK} passes. Empty when nothing waits unlocked.
     */
    Future<Optional<LockedMessage>> lockNext(String hubHostName, String deviceId) {
        return store.waiting(hubHostName, deviceId, clock.instant())
                .map(waiting -> polled.lockFirst(ConnectedDevices.key(hubHostName, deviceId), waiting, clock.millis())
                        .map(lock -> new LockedMessage(lock.token(), new CloudDelivery(lock.message().sequence(),
                                properties(lock.message()), lock.message().message().body(), false))));
    }

    /**
     * What a polling device did with the message it holds the lock of: completed or rejected, it goes; abandoned, it
     * waits for the next poll (and goes after its tenth delivery). A lock unknown or run out fails with 412.
     */
    Future<Void> settleLocked(String hubHostName, String deviceId, String lockToken, Settlement settlement) {
        Waiting message = polled.release(ConnectedDevices.key(hubHostName, deviceId), lockToken, clock.millis());
        if (message == null) {
            return Future.failedFuture(new HubException(412, "DeviceMessageLockLost", "The message's lock " + lockToken
                    + " is not held: it was settled already, or it ran out and the message may be delivered again."));
        }
        if (settlement == Settlement.ABANDONED && !deadLettered(hubHostName, deviceId, message)) {
            return Future.succeededFuture();
        }
        return settled(hubHostName, deviceId, message, settlement);
    }

    /** Counts the device's messages again: after it was deleted (its messages with it) or recreated. */
    void recount(String hubHostName, String deviceId) {
        String key = ConnectedDevices.key(hubHostName, deviceId);
        store.waiting(hubHostName, deviceId, clock.instant()).onSuccess(waiting -> {
            if (waiting.isEmpty()) {
                backlog.remove(key);
            } else {
                backlog.put(key, waiting.size());
            }
        });
    }

    int count(String hubHostName, String deviceId) {
        return backlog.getOrDefault(ConnectedDevices.key(hubHostName, deviceId), 0);
    }

    /** Deletes expired messages and recounts the backlog; also run at start, which loads the counts. */
    Future<Void> sweep() {
        return store.dropExpired(clock.instant()).map(counts -> {
            Map<String, Integer> fresh = new LinkedHashMap<>();
            for (Backlog b : counts) {
                fresh.put(ConnectedDevices.key(b.hubHostName(), b.deviceId()), b.count());
            }
            backlog.keySet().retainAll(fresh.keySet());
            // A device with nothing waiting has nothing to be sent again.
            sentToSession.keySet().retainAll(fresh.keySet());
            abandoned.keySet().removeIf(key -> !fresh.containsKey(key.substring(0, key.lastIndexOf('#'))));
            polled.forgetAllBut(fresh.keySet(), clock.millis());
            backlog.putAll(fresh);
            return (Void) null;
        }).onFailure(e -> LOG.warn("expired cloud-to-device messages could not be deleted", e));
    }

    private static MessageProperties properties(Waiting waiting) {
        Map<String, String> system = new LinkedHashMap<>(waiting.message().systemProperties());
        system.put("message-id", waiting.messageId());
        if (waiting.message().expiresAt() != null) {
            system.put("absolute-expiry-time", waiting.message().expiresAt().toString());
        }
        return new MessageProperties(system, waiting.message().applicationProperties());
    }
}
