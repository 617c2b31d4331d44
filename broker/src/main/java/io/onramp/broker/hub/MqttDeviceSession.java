package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttConnect;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.topic.DeviceSubscription;
import io.onramp.broker.topic.DeviceTopic;
import io.onramp.broker.topic.HubTopics;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's MQTT connection to a hub: the Azure IoT Hub topic dialect (hub-device-protocol.md 3.2–3.7) turned into
 * calls of its {@link DeviceSession}, and the session's answers into PUBLISHes. The device may publish and subscribe
 * only to its own topics; anything else closes the connection.
 */
final class MqttDeviceSession implements MqttSession, DeviceChannel {

    private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceSession.class);
    static final String RETAIN_PROPERTY = "mqtt-retain";
    static final String MESSAGE_TYPE_PROPERTY = "iothub-MessageType";
    private static final Future<Void> DONE = Future.succeededFuture();
    private static final Map<String, String> RETAINED = Map.of(RETAIN_PROPERTY, "true");

    private final MqttChannel channel;
    private final DeviceSession session;
    /** Published as telemetry if the connection is lost without DISCONNECT; null for none. */
    private final MqttConnect.Will will;

    /**
     * @param connect the CONNECT: its CleanSession flag and its will (checked by the realm)
     * @param storedSubscriptions what a persistent session of the device left, or {@link DeviceSession#NO_SESSION}
     */
    MqttDeviceSession(HubParts hub, String hubHostName, DeviceIdentity identity, Instant tokenExpiry, long skewSeconds,
            MqttChannel channel, MqttConnect connect, int storedSubscriptions) {
        this.channel = channel;
        this.will = connect.will();
        this.session = new DeviceSession(hub, hubHostName, identity, tokenExpiry, skewSeconds, this,
                !connect.cleanSession(), storedSubscriptions);
    }

    DeviceSession session() {
        return session;
    }

    /** A stored session was resumed: CONNACK says so. */
    @Override
    public boolean sessionPresent() {
        return session.sessionPresent();
    }

    @Override
    public int subscribe(String filter, MqttQoS requested) {
        session.touch();
        switch (DeviceSubscription.classify(filter, session.deviceId(), null)) {
            case REFUSED -> {
                LOG.debug("{} on {} may not subscribe to {}", session.deviceId(), session.hubHostName(), filter);
                return 0x80;
            }
            case CLOUD_TO_DEVICE -> session.listenForCloudToDevice(true);
            case TWIN_RESPONSES -> session.listenForTwinResponses(true);
            case TWIN_DESIRED -> session.listenForDesired(true);
            case METHODS -> session.listenForMethods(true);
            case ACCEPTED_SILENT -> { }
        }
        return Math.min(requested.value(), MqttQoS.AT_LEAST_ONCE.value());
    }

    @Override
    public void unsubscribe(String filter) {
        switch (DeviceSubscription.classify(filter, session.deviceId(), null)) {
            case CLOUD_TO_DEVICE -> session.listenForCloudToDevice(false);
            case TWIN_RESPONSES -> session.listenForTwinResponses(false);
            case TWIN_DESIRED -> session.listenForDesired(false);
            case METHODS -> session.listenForMethods(false);
            default -> { }
        }
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload) {
        session.touch();
        DeviceTopic parsed = DeviceTopic.parse(topic, session.deviceId(), null);
        if (parsed instanceof DeviceTopic.Telemetry telemetry) {
            // The hub retains nothing; consumers learn the device asked (spec 3.2).
            return session.telemetry(topic, telemetry.properties(), retain ? RETAINED : Map.of(), payload)
                    .onFailure(refused -> {
                        if (refused instanceof HubException) {
                            LOG.info("closing {} on {}: {}", session.deviceId(), session.hubHostName(), refused.getMessage());
                        }
                    });
        }
        if (parsed instanceof DeviceTopic.TwinGet get) {
            session.twinGet(get.rid());
            return DONE;
        }
        if (parsed instanceof DeviceTopic.TwinReportedPatch patch) {
            session.twinPatch(patch.rid(), payload.toString(StandardCharsets.UTF_8));
            return DONE;
        }
        if (parsed instanceof DeviceTopic.MethodResponse response) {
            return session.methodAnswered(response.rid(), response.status(), payload) ? DONE
                    : Future.failedFuture("method response over 128 KiB");
        }
        LOG.info("closing {} on {}: it published to {} ({})", session.deviceId(), session.hubHostName(), topic,
                ((DeviceTopic.Forbidden) parsed).reason());
        return Future.failedFuture("forbidden topic");
    }

    @Override
    public void execute(Runnable task) {
        channel.execute(task);
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void twinResponse(String requestId, int status, Long version, String body) {
        channel.offer(HubTopics.twinResponse(status, requestId, version), MqttQoS.AT_MOST_ONCE,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    @Override
    public void desiredPatch(String body, long version) {
        channel.offer(HubTopics.desiredPatch(version), MqttQoS.AT_MOST_ONCE, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    @Override
    public void methodRequest(String methodName, String requestId, String payloadJson) {
        channel.offer(HubTopics.methodRequest(methodName, requestId), MqttQoS.AT_MOST_ONCE,
                Unpooled.copiedBuffer(payloadJson, StandardCharsets.UTF_8));
    }

    /** QoS 1: the PUBACK completes it. MQTT has no way to abandon or reject one. */
    @Override
    public Future<Settlement> cloudToDevice(CloudDelivery delivery) {
        String topic = HubTopics.cloudToDevice(session.deviceId(), delivery.properties());
        return channel.publish(topic, MqttQoS.AT_LEAST_ONCE, Unpooled.wrappedBuffer(delivery.body()), delivery.again())
                .map(Settlement.COMPLETED);
    }

    @Override
    public void closed(boolean disconnected) {
        session.closed();
        if (!disconnected && will != null) {
            publishWill();
        }
    }

    /** The will goes out as the device's telemetry, marked as one (spec 3.2); the realm checked its topic. */
    private void publishWill() {
        DeviceTopic parsed = DeviceTopic.parse(will.topic(), session.deviceId(), null);
        if (!(parsed instanceof DeviceTopic.Telemetry telemetry)) {
            return;
        }
        Map<String, String> marks = new LinkedHashMap<>(4);
        marks.put(MESSAGE_TYPE_PROPERTY, "Will");
        if (will.retain()) {
            marks.put(RETAIN_PROPERTY, "true");
        }
        LOG.info("{} on {} was lost: its will goes out as telemetry", session.deviceId(), session.hubHostName());
        ByteBuf body = Unpooled.wrappedBuffer(will.payload());
        try {
            session.telemetry(will.topic(), telemetry.properties(), marks, body);
        } finally {
            body.release();
        }
    }
}
