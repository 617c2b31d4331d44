package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.topic.HubTopics;
import io.onramp.broker.topic.MessageProperties;
import io.onramp.broker.topic.PropertyBag;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connected to one of the hubs, whatever protocol it speaks (hub-device-protocol.md 3 and 4): its
 * telemetry, twin requests, method answers and what it listens for. The protocol heads ({@link MqttDeviceSession},
 * the gateway's AMQP links) turn their packets into these calls and reach the device through its {@link DeviceChannel}.
 * The methods a head calls run on the connection's context.
 */
public final class DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
    /** Azure's device-to-cloud message limit: body, system property values and application properties. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    public static final int MAX_METHOD_RESPONSE_BYTES = 128 * 1024;
    private static final Future<Void> DONE = Future.succeededFuture();
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
    private final DeviceChannel channel;
    private final String key;
    private final Instant connectedAt;
    private final long skewSeconds;
    private volatile long lastActivityMillis;
    private volatile boolean cloudToDeviceSubscribed;
    private volatile boolean twinResponsesSubscribed;
    private volatile boolean desiredSubscribed;
    private volatile boolean methodsSubscribed;
    /** When the SAS token plus the allowed skew runs out; ConnectedDevices sweeps expired sessions. */
    private volatile long expiresAtMillis;
    /** The subscriptions outlive the connection (MQTT CleanSession = 0, spec 3.3). */
    private final boolean persistent;
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
     * @param persistent whether what the device listens for outlives this connection
     * @param storedSubscriptions what a persistent session of the device left, or {@link #NO_SESSION}
     */
    DeviceSession(HubParts hub, String hubHostName, DeviceIdentity identity, Instant tokenExpiry, long skewSeconds,
            DeviceChannel channel, boolean persistent, int storedSubscriptions) {
        this.hub = hub;
        this.hubHostName = hubHostName;
        this.hubKey = HostedHubs.key(hubHostName);
        this.deviceId = identity.deviceId();
        this.generationId = identity.generationId();
        this.authMethod = HubStamps.authMethod(identity.authType());
        this.skewSeconds = skewSeconds;
        this.expiresAtMillis = expiry(tokenExpiry);
        this.channel = channel;
        this.key = ConnectedDevices.key(hubHostName, identity.deviceId());
        this.connectedAt = hub.clock().instant();
        this.lastActivityMillis = connectedAt.toEpochMilli();
        this.persistent = persistent;
        this.resumed = storedSubscriptions != NO_SESSION;
        if (resumed) {
            cloudToDeviceSubscribed = (storedSubscriptions & C2D) != 0;
            twinResponsesSubscribed = (storedSubscriptions & TWIN_RESPONSES) != 0;
            desiredSubscribed = (storedSubscriptions & DESIRED) != 0;
            methodsSubscribed = (storedSubscriptions & METHODS) != 0;
        }
    }

    private long expiry(Instant tokenExpiry) {
        return tokenExpiry == null ? Long.MAX_VALUE : tokenExpiry.plusSeconds(skewSeconds).toEpochMilli();
    }

    /** A stored session was resumed: MQTT's CONNACK says so, and waiting C2D messages go out if it was subscribed. */
    boolean sessionPresent() {
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

    /** The device proved itself again with a newer token (AMQP's CBS renewal, spec 2.5): it may stay until that one runs out. */
    public void renewed(Instant tokenExpiry) {
        expiresAtMillis = expiry(tokenExpiry);
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

    public String deviceId() {
        return deviceId;
    }

    public String hubHostName() {
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

    /** The message was settled and removed, or its sending failed. Event loop only. */
    void doneSending(long sequence) {
        if (cloudToDeviceInFlight != null) {
            cloudToDeviceInFlight.remove(sequence);
        }
    }

    DeviceChannel channel() {
        return channel;
    }

    /** The device listens for cloud-to-device messages (or stops): what waits goes out now. */
    public void listenForCloudToDevice(boolean listening) {
        cloudToDeviceSubscribed = listening;
        if (listening) {
            channel.execute(() -> hub.cloudToDevice().deliver(this));
        }
    }

    public void listenForTwinResponses(boolean listening) {
        twinResponsesSubscribed = listening;
    }

    public void listenForDesired(boolean listening) {
        desiredSubscribed = listening;
    }

    public void listenForMethods(boolean listening) {
        methodsSubscribed = listening;
    }

    /**
     * Telemetry as the device sent it (a head that has no topic of its own, AMQP): the properties go into the
     * device's canonical topic's bag, less those the hub owns, which it stamps itself.
     */
    public Future<Void> telemetry(MessageProperties sent, ByteBuf payload) {
        String topic = PropertyBag.appendEncoded(new StringBuilder(128).append("devices/").append(deviceId)
                .append("/messages/events/"), sent).toString();
        return telemetry(topic, PropertyBag.withoutHubOwned(sent), Map.of(), payload);
    }

    /**
     * Hands telemetry to the bus as consumers get it: on the device's canonical topic, {@code marks} (application
     * properties the hub adds: retain, will) after what the device sent, then the hub's stamps (spec 3.4).
     * {@code topic} is a device telemetry topic {@link io.onramp.broker.topic.DeviceTopic#parse} accepted.
     */
    Future<Void> telemetry(String topic, MessageProperties sent, Map<String, String> marks, ByteBuf payload) {
        MessageProperties properties = sent;
        for (Map.Entry<String, String> mark : marks.entrySet()) {
            properties = properties.withApplication(mark.getKey(), mark.getValue());
        }
        int size = properties.sizeWith(payload.readableBytes());
        if (size > MAX_MESSAGE_BYTES) {
            // The head logs it with what it does about it: MQTT closes the connection, AMQP rejects the message.
            return Future.failedFuture(new HubException(413, "MessageTooLarge",
                    "Message of " + size + " bytes is over the 256 KiB limit"));
        }
        Instant enqueued = Instant.ofEpochMilli(hub.clock().millis());
        StringBuilder added = HubTopics.appendEncoded(new StringBuilder(200), marks);
        if (!marks.isEmpty()) {
            added.append('&');
        }
        HubStamps.appendEncodedEnqueuedTime(added.append(connectionStamps()).append('&'), enqueued);
        return hub.telemetry().publish(hubKey, new TelemetryMessage(hubHostName, deviceId, null, generationId,
                authMethod, HubTopics.telemetryForConsumers(deviceId, topic, added), properties, payload, enqueued));
    }

    /** Encoded at the first message, not at connect: an idle connection stays small. */
    private String connectionStamps() {
        String stamps = connectionStamps;
        if (stamps == null) {
            stamps = HubStamps.encodedConnectionStamps(deviceId, authMethod, generationId);
            connectionStamps = stamps;
        }
        return stamps;
    }

    /** Reads the twin; the answer goes out through the channel, in request order. */
    public void twinGet(String requestId) {
        inTurn(requestId, () -> hub.twins().deviceView(hubHostName, deviceId).map(twin -> {
            respond(requestId, 200, null, twin.encode());
            return null;
        }));
    }

    /**
     * Runs a twin request once the ones before it are answered (spec 3.6: a device reads its own writes),
     * without blocking the event loop: the requests of one session form a chain of futures.
     */
    private void inTurn(String requestId, Supplier<Future<Void>> request) {
        if (pendingTwinRequests >= MAX_PENDING_TWIN_REQUESTS) {
            respondError(requestId, new HubException(429, "ThrottlingException",
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
                    respondError(requestId, done.cause());
                }
                channel.execute(() -> pendingTwinRequests--);
                answered.complete();
            });
        });
        twinRequests = answered.future();
    }

    /** Merges a reported-properties patch ({@code payload}: its JSON text); answered 204 with the new version. */
    public void twinPatch(String requestId, String payload) {
        Object parsed;
        String problem = "Reported property patch is not a JSON object.";
        try {
            parsed = io.vertx.core.json.Json.decodeValue(payload);
        } catch (DecodeException e) {
            parsed = null;
            problem = "Reported property patch is not valid JSON.";
        }
        if (!(parsed instanceof JsonObject patch)) {
            // Answered in turn too: a refusal must not overtake the answers to earlier requests.
            HubException invalid = new HubException(400, "ArgumentInvalid", problem);
            inTurn(requestId, () -> Future.failedFuture(invalid));
            return;
        }
        if (!withinTwinWriteBudget()) {
            HubException throttled = new HubException(429, "ThrottlingException", "More than "
                    + TwinWriteBudget.PER_SECOND + " reported property updates a second (bursts of " + TwinWriteBudget.BURST
                    + "); send fewer, or telemetry for values that change often.");
            inTurn(requestId, () -> Future.failedFuture(throttled));
            return;
        }
        inTurn(requestId, () -> hub.twins().patchReported(hubHostName, deviceId, patch).map(version -> {
            respond(requestId, 204, version, "");
            return null;
        }));
    }

    /** Answers a twin request the head could not read (no JSON object, say): in turn, like any other answer. */
    public void twinRefused(String requestId, HubException refusal) {
        inTurn(requestId, () -> Future.failedFuture(refusal));
    }

    private boolean withinTwinWriteBudget() {
        long now = System.nanoTime();
        if (twinWrites == null) {
            twinWrites = new TwinWriteBudget(now);
        }
        return twinWrites.take(now);
    }

    private void respondError(String requestId, Throwable failure) {
        if (!(failure instanceof HubException)) {
            LOG.warn("twin request of {} on {} failed", deviceId, hubHostName, failure);
        }
        respond(requestId, TwinErrors.status(failure), null, TwinErrors.body(failure, hub.clock().instant()));
    }

    private void respond(String requestId, int status, Long version, String body) {
        if (twinResponsesSubscribed) {
            channel.twinResponse(requestId, status, version, body);
        }
    }

    /** Pushes a desired-properties patch; not queued when the device is not listening (it re-reads the twin on connect). */
    void desiredChanged(JsonObject patch, long version) {
        if (desiredSubscribed) {
            channel.desiredPatch(patch.copy().put("$version", version).encode(), version);
        }
    }

    void methodRequest(String methodName, String requestId, String payloadJson) {
        channel.methodRequest(methodName, requestId, payloadJson);
    }

    /**
     * The device's answer to a direct method: false (and nothing passed on) when it is over the 128 KiB limit, which
     * a head treats as a protocol error.
     */
    public boolean methodAnswered(String requestId, int status, ByteBuf payload) {
        if (payload.readableBytes() > MAX_METHOD_RESPONSE_BYTES) {
            LOG.info("{} on {} answered a method with {} bytes, over the 128 KiB limit", deviceId, hubHostName,
                    payload.readableBytes());
            return false;
        }
        hub.methods().answered(key, requestId, status, payload.toString(StandardCharsets.UTF_8));
        return true;
    }

    /** Another connection of the same device was accepted. */
    void replaced() {
        LOG.info("closing the older connection of {} on {}: the device connected again", deviceId, hubHostName);
        channel.close();
    }

    /**
     * The device did something: for its registry's {@code lastActivityTime}. The heads call it once for each packet,
     * frame or attach the device sends; the session's own methods do not, so that nothing is counted twice.
     */
    public void touch() {
        lastActivityMillis = hub.clock().millis();
    }

    /** The connection is gone: the device is no longer reachable through it. */
    public void closed() {
        hub.connected().detach(this);
        hub.methods().disconnected(key);
    }
}
