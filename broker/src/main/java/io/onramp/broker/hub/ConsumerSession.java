package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.broker.topic.ConsumerFilters;
import io.vertx.core.Future;
import io.onramp.broker.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend application reading a hub's telemetry over MQTT with the hub's service credential
 * (user name {@code {hub}/$service}, an {@code iothubowner} token). It subscribes to telemetry
 * filters such as {@code devices/+/messages/events/#} and receives each message on the topic the
 * device used, so the device ID and the property bag travel with it. It may not publish.
 */
final class ConsumerSession implements MqttSession {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerSession.class);

    private final String hubHostName;
    private final String clientId;
    /** When the service token plus the allowed skew runs out; the bus sweeps expired consumers as devices are swept. */
    private final long expiresAtMillis;
    private final MqttChannel channel;
    private final TelemetryBus bus;
    /** Replaced whole on (un)subscribe, read without locking on the devices' event loops. */
    private volatile Subscription[] subscriptions = new Subscription[0];

    private record Subscription(TopicFilter filter, MqttQoS qos) {}

    ConsumerSession(String hubHostName, String clientId, long expiresAtMillis, MqttChannel channel, TelemetryBus bus) {
        this.hubHostName = hubHostName;
        this.clientId = clientId;
        this.expiresAtMillis = expiresAtMillis;
        this.channel = channel;
        this.bus = bus;
        bus.attach(hubHostName, this);
    }

    @Override
    public int subscribe(String filter, MqttQoS requested) {
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

    @Override
    public void unsubscribe(String filter) {
        List<Subscription> next = new ArrayList<>(List.of(subscriptions));
        next.removeIf(s -> s.filter().filter().equals(filter));
        subscriptions = next.toArray(new Subscription[0]);
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload) {
        return Future.failedFuture("a telemetry consumer may not publish");
    }

    /** Called on the sending device's event loop; the channel hands the message to its own loop. */
    void deliver(TelemetryMessage message) {
        MqttQoS best = null;
        for (Subscription subscription : subscriptions) {
            if ((best == null || subscription.qos().value() > best.value()) && subscription.filter().matches(message.topic())) {
                best = subscription.qos();
            }
        }
        if (best != null) {
            channel.offer(message.topic(), best, message.body().retainedDuplicate());
        }
    }

    /** Closes the connection once the token it authenticated with has expired (spec 2.5, as for devices). */
    boolean closeIfExpired(long nowMillis) {
        if (nowMillis < expiresAtMillis) {
            return false;
        }
        LOG.info("closing telemetry consumer {} of {}: its SAS token expired", clientId, hubHostName);
        channel.close();
        return true;
    }

    @Override
    public void closed(boolean disconnected) {
        bus.detach(hubHostName, this);
    }
}
