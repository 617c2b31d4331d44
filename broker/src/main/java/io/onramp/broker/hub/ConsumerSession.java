package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.broker.topic.ConsumerFilters;
import io.onramp.broker.topic.TopicFilter;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend application reading a hub's telemetry over MQTT with the hub's service credential
 * (user name {@code {hub}/$service}, an {@code iothubowner} token). It subscribes to telemetry
 * filters such as {@code devices/+/messages/events/#} and receives each message on its device's
 * canonical topic, so the device ID and the property bag travel with it. It may not publish.
 *
 * <p>The session is the consumer's state, identified by hub and client ID; each connection is a
 * {@link Link} to it. With CleanSession = 0 the session outlives its connection (MQTT 3.1.2.4): it
 * keeps its subscriptions and queues what they match, up to {@link #maxParked} messages, until
 * the same client ID connects again.
 */
final class ConsumerSession {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerSession.class);

    private final String hubHostName;
    private final String hubKey;
    private final String clientId;
    private final boolean persistent;
    private final int maxParked;
    private final TelemetryBus bus;
    /** Replaced whole on (un)subscribe, read without locking on the devices' event loops. */
    private volatile Subscription[] subscriptions = new Subscription[0];
    /** The connection messages go to; null while the session waits for its client. */
    private volatile Link link;
    /** The session's latest connection, which becomes {@link #link} once it sent CONNACK; guarded by this. */
    private Link owner;
    /** Messages for the client while it is away, copied out of the devices' buffers; guarded by this. */
    private ArrayDeque<Parked> parked;
    /** Off the bus for good: a device still holding it in its snapshot of the bus's list must not park anything. */
    private boolean discarded;

    private record Subscription(TopicFilter filter, MqttQoS qos) {}

    private record Parked(String topic, MqttQoS qos, ByteBuf body) {}

    ConsumerSession(String hubHostName, String clientId, boolean persistent, int maxParked, TelemetryBus bus) {
        this.hubHostName = hubHostName;
        this.hubKey = HostedHubs.key(hubHostName);
        this.clientId = clientId;
        this.persistent = persistent;
        this.maxParked = maxParked;
        this.bus = bus;
    }

    String clientId() {
        return clientId;
    }

    String hubHostName() {
        return hubHostName;
    }

    boolean persistent() {
        return persistent;
    }

    synchronized boolean connected() {
        return owner != null;
    }

    /**
     * Serves the session on a new connection. An older connection of the session is closed (MQTT 3.1.4: one
     * connection per client ID). Messages keep waiting until the connection's CONNACK is out: then what
     * waited goes first, and new messages after it.
     */
    Link connect(MqttChannel channel, long expiresAtMillis, boolean resumed) {
        Link next = new Link(channel, expiresAtMillis, resumed);
        Link previous;
        synchronized (this) {
            previous = owner;
            owner = next;
            link = null;
        }
        if (previous != null) {
            LOG.info("closing the older connection of telemetry consumer {} of {}: it connected again", clientId, hubHostName);
            previous.channel.close();
        }
        // The realm answers before the connection writes CONNACK; this runs after it, on the connection's loop.
        channel.execute(() -> attach(next));
        return next;
    }

    private synchronized void attach(Link next) {
        if (owner != next) {
            return;
        }
        if (parked != null) {
            for (Parked message : parked) {
                next.channel.offer(message.topic(), message.qos(), message.body());
            }
            parked = null;
        }
        link = next;
    }

    /** The connection is gone; false when another connection already took the session over. */
    synchronized boolean disconnected(Link gone) {
        if (owner != gone) {
            return false;
        }
        owner = null;
        link = null;
        return true;
    }

    /** Closes the session's connection, if it has one. */
    synchronized void close() {
        if (owner != null) {
            owner.channel.close();
        }
    }

    /** The session is dropped (a clean session took its client ID, or too many are stored): frees what waited. */
    synchronized void discard() {
        discarded = true;
        if (parked != null) {
            parked.forEach(message -> message.body().release());
            parked = null;
        }
    }

    /**
     * Called on the sending device's event loop; the channel hands the message to its own loop.
     * False when no subscription matches; a message matched but dropped (queue full) is counted.
     */
    boolean deliver(TelemetryMessage message) {
        MqttQoS best = null;
        for (Subscription subscription : subscriptions) {
            if ((best == null || subscription.qos().value() > best.value()) && subscription.filter().matches(message.topic())) {
                best = subscription.qos();
            }
        }
        if (best == null) {
            return false;
        }
        Link current = link;
        if (current == null) {
            synchronized (this) {
                current = link;
                if (current == null) {
                    park(message, best);
                    return true;
                }
            }
        }
        if (!current.channel.offer(message.topic(), best, message.body().retainedDuplicate())) {
            bus.drops(hubKey, hubHostName).queueFull();
        }
        return true;
    }

    /** Guarded by this. The body is copied: a slice would pin the device's whole read buffer while the client is away. */
    private void park(TelemetryMessage message, MqttQoS qos) {
        if (discarded) {
            return;
        }
        if (parked == null) {
            parked = new ArrayDeque<>();
        }
        if (parked.size() >= maxParked) {
            bus.drops(hubKey, hubHostName).queueFull();
            return;
        }
        parked.add(new Parked(message.topic(), qos, Unpooled.copiedBuffer(message.body())));
    }

    private int subscribe(String filter, MqttQoS requested) {
        if (!ConsumerFilters.isTelemetryFilter(filter)) {
            return 0x80;
        }
        MqttQoS granted = requested == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
        List<Subscription> next = new ArrayList<>(List.of(subscriptions));
        next.removeIf(s -> s.filter().filter().equals(filter));
        next.add(new Subscription(TopicFilter.compile(filter), granted));
        subscriptions = next.toArray(new Subscription[0]);
        return granted.value();
    }

    private void unsubscribe(String filter) {
        List<Subscription> next = new ArrayList<>(List.of(subscriptions));
        next.removeIf(s -> s.filter().filter().equals(filter));
        subscriptions = next.toArray(new Subscription[0]);
    }

    /** Closes the connection once the token it authenticated with has expired (spec 2.5, as for devices). */
    void closeIfExpired(long nowMillis) {
        Link current;
        synchronized (this) {
            current = owner;
        }
        if (current != null && nowMillis >= current.expiresAtMillis) {
            LOG.info("closing telemetry consumer {} of {}: its SAS token expired", clientId, hubHostName);
            current.channel.close();
        }
    }

    /** One connection of the consumer, as the MQTT listener drives it. */
    final class Link implements MqttSession {

        private final MqttChannel channel;
        /** When the service token plus the allowed skew runs out; the bus sweeps expired consumers as devices are swept. */
        private final long expiresAtMillis;
        private final boolean resumed;

        private Link(MqttChannel channel, long expiresAtMillis, boolean resumed) {
            this.channel = channel;
            this.expiresAtMillis = expiresAtMillis;
            this.resumed = resumed;
        }

        @Override
        public boolean sessionPresent() {
            return resumed;
        }

        @Override
        public int subscribe(String filter, MqttQoS requested) {
            return ConsumerSession.this.subscribe(filter, requested);
        }

        @Override
        public void unsubscribe(String filter) {
            ConsumerSession.this.unsubscribe(filter);
        }

        @Override
        public Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload) {
            return Future.failedFuture("a telemetry consumer may not publish");
        }

        @Override
        public void closed(boolean disconnected) {
            bus.disconnected(ConsumerSession.this, this);
        }
    }
}
