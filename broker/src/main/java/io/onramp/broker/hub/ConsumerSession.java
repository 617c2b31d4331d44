package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.broker.topic.ConsumerFilters;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend application reading a hub's telemetry over MQTT with the hub's service credential
 * (user name {@code {hub}/$service}, an {@code iothubowner} token). It subscribes to telemetry
 * filters such as {@code devices/+/messages/events/#} and receives each message on the topic the
 * device used, so the device ID and the property bag travel with it. It may not publish.
 */
final class ConsumerSession implements MqttSession {

    private final String hubHostName;
    private final MqttChannel channel;
    private final TelemetryBus bus;
    /** filter → granted QoS; read on publishers' event loops. */
    private final Map<String, MqttQoS> filters = new ConcurrentHashMap<>();

    ConsumerSession(String hubHostName, MqttChannel channel, TelemetryBus bus) {
        this.hubHostName = hubHostName;
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
        filters.put(filter, granted);
        return granted.value();
    }

    @Override
    public void unsubscribe(String filter) {
        filters.remove(filter);
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, ByteBuf payload) {
        return Future.failedFuture("a telemetry consumer may not publish");
    }

    /** Called on the sending device's event loop; the channel hands the message to its own loop. */
    void deliver(TelemetryMessage message) {
        MqttQoS best = null;
        for (Map.Entry<String, MqttQoS> entry : filters.entrySet()) {
            if (ConsumerFilters.matches(entry.getKey(), message.topic())
                    && (best == null || entry.getValue().value() > best.value())) {
                best = entry.getValue();
            }
        }
        if (best != null) {
            channel.offer(message.topic(), best, message.body().retainedDuplicate());
        }
    }

    @Override
    public void closed() {
        bus.detach(hubHostName, this);
    }
}
