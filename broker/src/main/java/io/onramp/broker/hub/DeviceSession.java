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
import io.onramp.broker.topic.MessageProperties;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device connected to one of the hubs: the Azure IoT Hub topic dialect (hub-device-protocol.md
 * 3.2–3.7). It may publish and subscribe only to its own topics; anything else closes the connection.
 */
final class DeviceSession implements MqttSession {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
    /** Azure's device-to-cloud message limit: body, system property values and application properties. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_METHOD_RESPONSE_BYTES = 128 * 1024;
    static final String RETAIN_PROPERTY = "mqtt-retain";
    static final String MESSAGE_TYPE_PROPERTY = "iothub-MessageType";
    private static final Future<Void> DONE = Future.succeededFuture();
    private static final Map<String, String> RETAINED = Map.of(RETAIN_PROPERTY, "true");
    /** What {@link #persistentSubscriptions} answers for a clean session: nothing is kept. */
    static final int NO_SESSION = -1;
    private static final int C2D = 1;
    private static final int TWIN_RESPONSES = 2;
    private static final int DESIRED = 4;
    private static final int METHODS = 8;
    /** A device waits for its twin answers; one that floods requests gets 429 rather than an unbounded queue. */
    static final int MAX_PENDING_TWIN_REQUESTS = 64;

    private final HubParts hub;
    private final String hubHostName;
    private final String hubKey;
    // Only what the session needs of the identity: idle connections must stay small.
    private final String deviceId;
    private final String generationId;
    /** One of {@link HubStamps}' shared strings. */
    private final String authMethod;
    /** The percent-encoded stamps all of this connection's messages carry; null until the first one. */
    private String connectionStamps;
    private final MqttChannel channel;
    private final String key;
    private final Instant connectedAt;
    private volatile long lastActivityMillis;
    private volatile boolean cloudToDeviceSubscribed;
    private volatile boolean twinResponsesSubscribed;
    private volatile boolean desiredSubscribed;
    private volatile boolean methodsSubscribed;
    /** When the SAS token plus the allowed skew runs out; ConnectedDevices sweeps expired sessions. */
    private final long expiresAtMillis;
    /** CleanSession = 0: the subscriptions outlive the connection (spec 3.3). */
    private final boolean persistent;
    /** Published as telemetry if the connection is lost without DISCONNECT; null for none. */
    private final MqttConnect.Will will;
    private final boolean resumed;
    /**
     * Completes when the device's last twin request has been answered: each request starts only then, so a GET
     * sent after a reported PATCH sees that patch, and answers leave in request order. Event loop only.
     */
    private Future<Void> twinRequests = DONE;
    /** Twin requests queued or running; beyond {@link #MAX_PENDING_TWIN_REQUESTS} they are answered 429. */
    private int pendingTwinRequests;
    /** Made at the first reported-property update: an idle connection stays small. Event loop only. */
    private TwinWriteBudget twinWrites;
    /** Cloud-to-device messages sent and not yet settled, by store sequence; made on first use, event loop only. */
    private Set<Long> cloudToDeviceInFlight;

    /**
     * @param connect the CONNECT: its CleanSession flag and its will (checked by the realm)
     * @param storedSubscriptions what a persistent session of the device left, or {@link #NO_SESSION}
     */
    DeviceSession(HubParts hub, String hubHostName, DeviceIdentity identity, Instant tokenExpiry, long skewSeconds,
            MqttChannel channel, MqttConnect connect, int storedSubscriptions) {
        this.hub = hub;
        this.hubHostName = hubHostName;
        this.hubKey = HostedHubs.key(hubHostName);
        this.deviceId = identity.deviceId();
        this.generationId = identity.generationId();
        this.authMethod = HubStamps.authMethod(identity.authType());
        this.expiresAtMillis = tokenExpiry == null ? Long.MAX_VALUE : tokenExpiry.plusSeconds(skewSeconds).toEpochMilli();
        this.channel = channel;
        this.key = ConnectedDevices.key(hubHostName, identity.deviceId());
        this.connectedAt = hub.clock().instant();
        this.lastActivityMillis = connectedAt.toEpochMilli();
        this.persistent = !connect.cleanSession();
        this.will = connect.will();
        this.resumed = storedSubscriptions != NO_SESSION;
        if (resumed) {
            cloudToDeviceSubscribed = (storedSubscriptions & C2D) != 0;
            twinResponsesSubscribed = (storedSubscriptions & TWIN_RESPONSES) != 0;
            desiredSubscribed = (storedSubscriptions & DESIRED) != 0;
            methodsSubscribed = (storedSubscriptions & METHODS) != 0;
        }
    }

    /** A stored session was resumed: CONNACK says so, and waiting C2D messages go out if it was subscribed. */
    @Override
    public boolean sessionPresent() {
        return resumed;
    }

    /** The subscriptions to keep for the device's next connection, or {@link #NO_SESSION} for a clean session. */
    int persistentSubscriptions() {
        if (!persistent) {
            return NO_SESSION;
        }
        return (cloudToDeviceSubscribed ? C2D : 0) | (twinResponsesSubscribed ? TWIN_RESPONSES : 0)
                | (desiredSubscribed ? DESIRED : 0) | (methodsSubscribed ? METHODS : 0);
    }

    /** Closes the connection once the token it authenticated with has expired (spec 2.5). */
    boolean closeIfExpired(long nowMillis) {
        if (nowMillis < expiresAtMillis) {
            return false;
        }
        LOG.info("closing {} on {}: its SAS token expired", deviceId, hubHostName);
        channel.close();
        return true;
    }

    String key() {
        return key;
    }

    String deviceId() {
        return deviceId;
    }

    String hubHostName() {
        return hubHostName;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    Instant lastActivity() {
        return Instant.ofEpochMilli(lastActivityMillis);
    }

    boolean methodsSubscribed() {
        return methodsSubscribed;
    }

    boolean cloudToDeviceSubscribed() {
        return cloudToDeviceSubscribed;
    }

    /** False when the cloud-to-device message is already on its way to this connection. Event loop only. */
    boolean startSending(long sequence) {
        if (cloudToDeviceInFlight == null) {
            cloudToDeviceInFlight = new HashSet<>();
        }
        return cloudToDeviceInFlight.add(sequence);
    }

    /** The message was acknowledged and removed, or its sending failed. Event loop only. */
    void doneSending(long sequence) {
        if (cloudToDeviceInFlight != null) {
            cloudToDeviceInFlight.remove(sequence);
        }
    }

    MqttChannel channel() {
        return channel;
    }

    @Override
    public int subscribe(String filter, MqttQoS requested) {
        touch();
        DeviceSubscription kind = DeviceSubscription.classify(filter, deviceId(), null);
        switch (kind) {
            case REFUSED -> {
                LOG.debug("{} on {} may not subscribe to {}", deviceId(), hubHostName, filter);
                return 0x80;
            }
            case CLOUD_TO_DEVICE -> {
                cloudToDeviceSubscribed = true;
                channel.execute(() -> hub.cloudToDevice().deliver(this));
            }
            case TWIN_RESPONSES -> twinResponsesSubscribed = true;
            case TWIN_DESIRED -> desiredSubscribed = true;
            case METHODS -> methodsSubscribed = true;
            case ACCEPTED_SILENT -> { }
        }
        return Math.min(requested.value(), MqttQoS.AT_LEAST_ONCE.value());
    }

    @Override
    public void unsubscribe(String filter) {
        switch (DeviceSubscription.classify(filter, deviceId(), null)) {
            case CLOUD_TO_DEVICE -> cloudToDeviceSubscribed = false;
            case TWIN_RESPONSES -> twinResponsesSubscribed = false;
            case TWIN_DESIRED -> desiredSubscribed = false;
            case METHODS -> methodsSubscribed = false;
            default -> { }
        }
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload) {
        touch();
        DeviceTopic parsed = DeviceTopic.parse(topic, deviceId(), null);
        if (parsed instanceof DeviceTopic.Telemetry telemetry) {
            // The hub retains nothing; consumers learn the device asked (spec 3.2).
            return telemetry(topic, telemetry.properties(), retain ? RETAINED : Map.of(), payload);
        }
        if (parsed instanceof DeviceTopic.TwinGet get) {
            twinGet(get.rid());
            return DONE;
        }
        if (parsed instanceof DeviceTopic.TwinReportedPatch patch) {
            twinPatch(patch.rid(), payload);
            return DONE;
        }
        if (parsed instanceof DeviceTopic.MethodResponse response) {
            if (payload.readableBytes() > MAX_METHOD_RESPONSE_BYTES) {
                return Future.failedFuture("method response over 128 KiB");
            }
            hub.methods().answered(key, response.rid(), response.status(), payload.toString(StandardCharsets.UTF_8));
            return DONE;
        }
        LOG.info("closing {} on {}: it published to {} ({})", deviceId(), hubHostName, topic,
                ((DeviceTopic.Forbidden) parsed).reason());
        return Future.failedFuture("forbidden topic");
    }

    /**
     * Hands telemetry to the bus as consumers get it: on the device's canonical topic, {@code marks} (application
     * properties the hub adds: retain, will) after what the device sent, then the hub's stamps (spec 3.4).
     */
    private Future<Void> telemetry(String topic, MessageProperties sent, Map<String, String> marks, ByteBuf payload) {
        MessageProperties properties = sent;
        for (Map.Entry<String, String> mark : marks.entrySet()) {
            properties = properties.withApplication(mark.getKey(), mark.getValue());
        }
        int size = properties.sizeWith(payload.readableBytes());
        if (size > MAX_MESSAGE_BYTES) {
            LOG.info("closing {} on {}: message of {} bytes is over the 256 KiB limit", deviceId(), hubHostName, size);
            return Future.failedFuture("message too large");
        }
        Instant enqueued = Instant.ofEpochMilli(hub.clock().millis());
        StringBuilder added = HubTopics.appendEncoded(new StringBuilder(200), marks);
        if (!marks.isEmpty()) {
            added.append('&');
        }
        HubStamps.appendEncodedEnqueuedTime(added.append(connectionStamps()).append('&'), enqueued);
        return hub.telemetry().publish(hubKey, new TelemetryMessage(hubHostName, deviceId(), null, generationId,
                authMethod, HubTopics.telemetryForConsumers(deviceId, topic, added), properties, payload, enqueued));
    }

    /** Encoded at the first message, not at CONNECT: an idle connection stays small. */
    private String connectionStamps() {
        String stamps = connectionStamps;
        if (stamps == null) {
            stamps = HubStamps.encodedConnectionStamps(deviceId, authMethod, generationId);
            connectionStamps = stamps;
        }
        return stamps;
    }

    private void twinGet(String rid) {
        inTurn(rid, () -> hub.twins().deviceView(hubHostName, deviceId()).map(twin -> {
            respond(HubTopics.twinResponse(200, rid, null), twin.encode());
            return null;
        }));
    }

    /**
     * Runs a twin request once the ones before it are answered (spec 3.6: a device reads its own writes),
     * without blocking the event loop: the requests of one session form a chain of futures.
     */
    private void inTurn(String rid, Supplier<Future<Void>> request) {
        if (pendingTwinRequests >= MAX_PENDING_TWIN_REQUESTS) {
            respondError(rid, new HubException(429, "ThrottlingException",
                    "More than " + MAX_PENDING_TWIN_REQUESTS + " twin requests wait for an answer; wait for them first."));
            return;
        }
        pendingTwinRequests++;
        Promise<Void> answered = Promise.promise();
        twinRequests.onComplete(previous -> {
            Future<Void> outcome;
            try {
                outcome = request.get();
            } catch (RuntimeException e) {
                outcome = Future.failedFuture(e);
            }
            outcome.onComplete(done -> {
                if (done.failed()) {
                    respondError(rid, done.cause());
                }
                channel.execute(() -> pendingTwinRequests--);
                answered.complete();
            });
        });
        twinRequests = answered.future();
    }

    private void twinPatch(String rid, ByteBuf payload) {
        Object parsed;
        String problem = "Reported property patch is not a JSON object.";
        try {
            parsed = io.vertx.core.json.Json.decodeValue(payload.toString(StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            parsed = null;
            problem = "Reported property patch is not valid JSON.";
        }
        if (!(parsed instanceof JsonObject patch)) {
            // Answered in turn too: a refusal must not overtake the answers to earlier requests.
            HubException invalid = new HubException(400, "ArgumentInvalid", problem);
            inTurn(rid, () -> Future.failedFuture(invalid));
            return;
        }
        if (!withinTwinWriteBudget()) {
            HubException throttled = new HubException(429, "ThrottlingException", "More than "
                    + TwinWriteBudget.PER_SECOND + " reported property updates a second (bursts of " + TwinWriteBudget.BURST
                    + "); send fewer, or telemetry for values that change often.");
            inTurn(rid, () -> Future.failedFuture(throttled));
            return;
        }
        inTurn(rid, () -> hub.twins().patchReported(hubHostName, deviceId(), patch).map(version -> {
            respond(HubTopics.twinResponse(204, rid, version), "");
            return null;
        }));
    }

    private boolean withinTwinWriteBudget() {
        long now = System.nanoTime();
        if (twinWrites == null) {
            twinWrites = new TwinWriteBudget(now);
        }
        return twinWrites.take(now);
    }

    private void respondError(String rid, Throwable failure) {
        if (!(failure instanceof HubException)) {
            LOG.warn("twin request of {} on {} failed", deviceId(), hubHostName, failure);
        }
        respond(HubTopics.twinResponse(TwinErrors.status(failure), rid, null), TwinErrors.body(failure, hub.clock().instant()));
    }

    private void respond(String topic, String body) {
        if (twinResponsesSubscribed) {
            channel.offer(topic, MqttQoS.AT_MOST_ONCE, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        }
    }

    /** Pushes a desired-properties patch; not queued when the device is not listening (it re-reads the twin on connect). */
    void desiredChanged(JsonObject patch, long version) {
        if (desiredSubscribed) {
            JsonObject body = patch.copy().put("$version", version);
            channel.offer(HubTopics.desiredPatch(version), MqttQoS.AT_MOST_ONCE,
                    Unpooled.copiedBuffer(body.encode(), StandardCharsets.UTF_8));
        }
    }

    void methodRequest(String methodName, String rid, String payloadJson) {
        channel.offer(HubTopics.methodRequest(methodName, rid), MqttQoS.AT_MOST_ONCE,
                Unpooled.copiedBuffer(payloadJson, StandardCharsets.UTF_8));
    }

    /** Another connection of the same device was accepted. */
    void replaced() {
        LOG.info("closing the older connection of {} on {}: the device connected again", deviceId(), hubHostName);
        channel.close();
    }

    private void touch() {
        lastActivityMillis = hub.clock().millis();
    }

    @Override
    public void closed(boolean disconnected) {
        hub.connected().detach(this);
        hub.methods().disconnected(key);
        if (!disconnected && will != null) {
            publishWill();
        }
    }

    /** The will goes out as the device's telemetry, marked as one (spec 3.2); the realm checked its topic. */
    private void publishWill() {
        DeviceTopic parsed = DeviceTopic.parse(will.topic(), deviceId, null);
        if (!(parsed instanceof DeviceTopic.Telemetry telemetry)) {
            return;
        }
        Map<String, String> marks = new LinkedHashMap<>(4);
        marks.put(MESSAGE_TYPE_PROPERTY, "Will");
        if (will.retain()) {
            marks.put(RETAIN_PROPERTY, "true");
        }
        LOG.info("{} on {} was lost: its will goes out as telemetry", deviceId, hubHostName);
        ByteBuf body = Unpooled.wrappedBuffer(will.payload());
        try {
            telemetry(will.topic(), telemetry.properties(), marks, body);
        } finally {
            body.release();
        }
    }
}
