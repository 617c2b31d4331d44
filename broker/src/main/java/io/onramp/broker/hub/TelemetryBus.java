package io.onramp.broker.hub;

import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttSession;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a hub's telemetry goes: to the local consumers subscribed to it, and to the hub's upstream
 * forwarder when one is plugged in. Consumers get what they can take (their queues are bounded, also
 * while a persistent consumer is away); the forwarder's answer decides when the device is acknowledged.
 * What no one takes is counted and reported per hub ({@link TelemetryDrops}).
 */
public final class TelemetryBus {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryBus.class);
    /** Persistent consumer sessions a hub keeps while their clients are away: each may hold a full queue. */
    static final int MAX_STORED_CONSUMERS = 16;

    /** Every consumer session, connected or waiting for its client, by hub key. */
    private final Map<String, List<ConsumerSession>> consumers = new ConcurrentHashMap<>();
    private final Map<String, TelemetryForwarder> forwarders = new ConcurrentHashMap<>();
    private final Map<String, TelemetryDrops> drops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final int queueLimit;

    /** @param queueLimit messages a consumer session may hold, connected or not (the listener's per-connection bound) */
    public TelemetryBus(int queueLimit) {
        this.queueLimit = queueLimit;
    }

    public void plug(String hubHostName, TelemetryForwarder forwarder) {
        forwarders.put(HostedHubs.key(hubHostName), forwarder);
    }

    /** The hub forwards no more: its telemetry goes to its local consumers only, as before a forwarder was plugged. */
    public void unplug(String hubHostName) {
        forwarders.remove(HostedHubs.key(hubHostName));
    }

    /**
     * A consumer's CONNECT was accepted: its session resumes when the client asked to keep it (CleanSession = 0)
     * and left one on this hub (CONNACK session-present); otherwise the client starts afresh and anything left
     * under its client ID goes (MQTT 3.1.2.4). Connects are rare: one lock for the lot keeps this simple.
     */
    synchronized MqttSession connect(String hubHostName, String clientId, boolean cleanSession, long expiresAtMillis,
            MqttChannel channel) {
        List<ConsumerSession> list = consumers.computeIfAbsent(HostedHubs.key(hubHostName), k -> new CopyOnWriteArrayList<>());
        ConsumerSession existing = null;
        for (ConsumerSession session : list) {
            if (session.clientId().equals(clientId)) {
                existing = session;
            }
        }
        boolean resume = existing != null && existing.persistent() && !cleanSession;
        if (existing != null && !resume) {
            list.remove(existing);
            existing.close();
            existing.discard();
        }
        ConsumerSession session = resume ? existing
                : new ConsumerSession(hubHostName, clientId, !cleanSession, queueLimit, this);
        if (!resume) {
            list.add(session);
        }
        return session.connect(channel, expiresAtMillis, resume);
    }

    /** A consumer's connection is gone: a persistent session stays (within bounds) to queue for its client. */
    synchronized void disconnected(ConsumerSession session, ConsumerSession.Link link) {
        if (!session.disconnected(link)) {
            return;
        }
        List<ConsumerSession> list = consumers.get(HostedHubs.key(session.hubHostName()));
        if (list == null || !list.contains(session)) {
            return;
        }
        if (session.persistent() && list.stream().filter(s -> s.persistent() && !s.connected()).count() <= MAX_STORED_CONSUMERS) {
            return;
        }
        list.remove(session);
        session.discard();
        if (session.persistent()) {
            LOG.warn("{}: not keeping the session of telemetry consumer {}: {} sessions already wait for their consumers;"
                    + " reuse client IDs, or connect with CleanSession=1 when nothing must be kept", session.hubHostName(),
                    session.clientId(), MAX_STORED_CONSUMERS);
        }
    }

    TelemetryDrops drops(String hubKey, String hubHostName) {
        TelemetryDrops hub = drops.get(hubKey);
        return hub != null ? hub : drops.computeIfAbsent(hubKey, k -> new TelemetryDrops(hubHostName));
    }

    /** The periodic sweep: closes the consumer connections whose token expired (as ConnectedDevices does), reports drops. */
    void sweep(long nowMillis) {
        for (List<ConsumerSession> list : consumers.values()) {
            for (ConsumerSession consumer : list) {
                consumer.closeIfExpired(nowMillis);
            }
        }
        for (TelemetryDrops hub : drops.values()) {
            hub.report(nowMillis, queueLimit);
        }
    }

    /** What one hub's devices sent since the start, and what of it no consumer took; for the metrics. */
    public TelemetryStats stats(String hubHostName) {
        String hubKey = HostedHubs.key(hubHostName);
        LongAdder sent = received.get(hubKey);
        TelemetryDrops dropped = drops.get(hubKey);
        return new TelemetryStats(sent == null ? 0 : sent.sum(), dropped == null ? 0 : dropped.noConsumerTotal(),
                dropped == null ? 0 : dropped.queueFullTotal());
    }

    /**
     * @param received           telemetry messages the hub took from its devices
     * @param droppedNoConsumer  of those, the ones no consumer or forwarder was there to take
     * @param droppedQueueFull   deliveries dropped because a consumer's queue was full (one per consumer)
     */
    public record TelemetryStats(long received, long droppedNoConsumer, long droppedQueueFull) {}

    /** Hands a message over; {@code hubKey} is the hub's lower-case host name. */
    Future<Void> publish(String hubKey, TelemetryMessage message) {
        LongAdder sent = received.get(hubKey);
        (sent != null ? sent : received.computeIfAbsent(hubKey, k -> new LongAdder())).increment();
        boolean taken = false;
        List<ConsumerSession> list = consumers.get(hubKey);
        if (list != null) {
            for (ConsumerSession consumer : list) {
                taken |= consumer.deliver(message);
            }
        }
        TelemetryForwarder forwarder = forwarders.get(hubKey);
        if (forwarder != null) {
            return forwarder.forward(message);
        }
        if (!taken) {
            drops(hubKey, message.hubHostName()).noConsumer();
        }
        return Future.succeededFuture();
    }
}
