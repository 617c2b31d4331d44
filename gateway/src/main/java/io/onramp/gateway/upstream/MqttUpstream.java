package io.onramp.gateway.upstream;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.gateway.config.GatewayConfig.UpstreamConfig;
import io.onramp.gateway.hub.LinkedHubFailure;
import io.onramp.gateway.store.TelemetryOutbox;
import io.onramp.gateway.store.TelemetryOutbox.Message;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.certs.text.PercentCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one hub's outbox to its upstream MQTT broker: at QoS 1, in the order the hub took the messages, up to
 * {@link #WINDOW} unacknowledged at a time. A message leaves the outbox once the broker acknowledged it and every
 * one before it. Connects at start and again after any loss (after 1 s, doubling up to 30 s); what was not
 * acknowledged when a connection went is sent again first. An IoT hub upstream is logged in to as one of its devices,
 * with SAS tokens signed here and renewed before they end, and gets each message on that device's topic
 * ({@link UpstreamTopics}). Everything runs on one event-loop context of its own.
 */
public final class MqttUpstream {

    private static final Logger LOG = LoggerFactory.getLogger(MqttUpstream.class);
    /** Messages published and not acknowledged yet: enough to fill a link with a few ms of round trip. */
    static final int WINDOW = 64;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;
    private static final int ACK_TIMEOUT_SECONDS = 30;
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** A connection that lasted this long resets the wait before the next attempt; a shorter one doubles it. */
    private static final long STABLE_NANOS = 10_000_000_000L;

    /** A message published on the current connection, in publish order. */
    private static final class Sent {
        final Message message;
        boolean acknowledged;

        Sent(Message message) {
            this.message = message;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final String hubName;
    private final UpstreamConfig config;
    private final TelemetryOutbox outbox;
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();
    /**
     * How long the SAS token of an IoT hub upstream is valid; the connection is renewed at nine tenths of it, before the
     * hub would close it. A property for tests only, read by each new sender.
     */
    private final long tokenSeconds = Long.getLong("onramp.upstream.sasTokenSeconds", 3600);

    // On the context only.
    private final ArrayDeque<Message> toSend = new ArrayDeque<>();
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    private final Map<Integer, Sent> byPacketId = new HashMap<>();
    /** PUBACKs that came before the publish's own future told its packet ID. */
    private final Set<Integer> earlyAcks = new HashSet<>();
    private MqttClient client;
    private boolean taking;
    private boolean stopped;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private long connectedAtNanos;
    private long renewTimer = -1;
    /** The current connection is being closed for a new token: reconnect at once, without a word. */
    private boolean renewing;
    /** Why the upstream is away, as last logged; null while connected. */
    private String outage = "not connected yet";
    private volatile boolean connected;
    private volatile long forwarded;
    private volatile long dropped;

    public MqttUpstream(Vertx vertx, String hubName, UpstreamConfig config, TelemetryOutbox outbox) {
        this.vertx = vertx;
        this.context = ((VertxInternal) vertx).createEventLoopContext(); // its own, whichever thread builds it
        this.hubName = hubName;
        this.config = config;
        this.outbox = outbox;
    }

    public void start() {
        outbox.onAvailable(() -> {
            if (wakeUpQueued.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    wakeUpQueued.set(false);
                    pump();
                });
            }
        });
        context.runOnContext(v -> connect());
    }

    /**
     * Disconnects; what was not acknowledged stays in the outbox. Once the future completes, this sender tells the
     * outbox nothing more (a PUBACK still on its way is ignored).
     */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            connected = false;
            MqttClient current = client;
            client = null; // from here on every handler of the connection finds it is not the current one
            if (current == null) {
                done.complete();
            } else {
                current.disconnect().onComplete(ignored -> done.complete());
            }
        });
        return done.future();
    }

    public boolean connected() {
        return connected;
    }

    /** Messages the upstream acknowledged since the start. */
    public long forwarded() {
        return forwarded;
    }

    /** Messages the upstream could never take, dropped since the start (each an ERROR in the log). */
    public long dropped() {
        return dropped;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        MqttClient attempt = MqttClient.create(vertx, options());
        attempt.publishCompletionHandler(packetId -> acknowledged(attempt, packetId));
        attempt.publishCompletionExpirationHandler(packetId -> {
            if (attempt == client) {
                attempt.disconnect();
                lost(attempt, "no PUBACK within " + ACK_TIMEOUT_SECONDS + " s");
            }
        });
        // What broke a connection comes to the exception handler first; the close that follows says it.
        String[] lastError = new String[1];
        attempt.exceptionHandler(e -> lastError[0] = describe(e));
        attempt.closeHandler(v -> lost(attempt, "the connection closed" + (lastError[0] == null ? "" : ": " + lastError[0])));
        attempt.connect(config.port(), config.host(), config.host()).onComplete(outcome -> {
            if (stopped) {
                attempt.disconnect();
                return;
            }
            if (outcome.failed()) {
                retryLater(describe(outcome.cause()));
                return;
            }
            client = attempt;
            connected = true;
            connectedAtNanos = System.nanoTime();
            if (config.iotHub()) {
                renewTimer = vertx.setTimer(tokenSeconds * 900, t -> context.runOnContext(v -> renew(attempt)));
            }
            LOG.info("hub {}: upstream {} connected; {} telemetry messages wait in the outbox", hubName,
                    config.address(), outbox.waitingCount());
            outage = null;
            pump();
        });
    }

    /** Closes the connection before its token ends; {@link #lost} then connects again with a new one. */
    private void renew(MqttClient which) {
        if (which == client) {
            LOG.debug("hub {}: renewing the upstream connection's SAS token", hubName);
            renewing = true;
            which.disconnect();
        }
    }

    private MqttClientOptions options() {
        MqttClientOptions options = new MqttClientOptions();
        options.setClientId(config.clientId())
                .setCleanSession(true) // what was not acknowledged is sent again by this side, from the outbox
                .setKeepAliveInterval(KEEP_ALIVE_SECONDS)
                .setMaxInflightQueue(WINDOW)
                .setAckTimeout(ACK_TIMEOUT_SECONDS)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        if (config.userName() != null) {
            options.setUsername(config.userName());
        }
        if (config.password() != null) {
            options.setPassword(config.password());
        }
        if (config.iotHub()) {
            // As the device SDKs sign: the resource URL-encoded, no key name (the device's own key).
            options.setPassword(SasTokenSigner.sign(PercentCodec.encode(config.host() + "/devices/" + config.iotHubDeviceId()),
                    Instant.now().getEpochSecond() + tokenSeconds, SymmetricKeys.decode(config.iotHubDeviceKey()), null));
        }
        if (config.tls()) {
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (config.caCertificate() != null) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(config.caCertificate().toString()));
            }
            if (config.certificate() != null) {
                options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.certificate().toString())
                        .setKeyPath(config.privateKey().toString()));
            }
        }
        return options;
    }

    private void lost(MqttClient which, String reason) {
        if (which != client) {
            return; // an attempt that never connected, or a connection already handled
        }
        client = null;
        connected = false;
        vertx.cancelTimer(renewTimer);
        if (System.nanoTime() - connectedAtNanos >= STABLE_NANOS) {
            // Else a broker that takes the connection and drops it at once (another client with this client ID, a
            // policy refusing what is published) would be dialled every second for ever.
            retryMillis = FIRST_RETRY_MILLIS;
        }
        // What was published and not acknowledged goes first on the next connection, in its order.
        for (java.util.Iterator<Sent> it = sent.descendingIterator(); it.hasNext(); ) {
            toSend.addFirst(it.next().message);
        }
        sent.clear();
        byPacketId.clear();
        earlyAcks.clear();
        if (renewing && !stopped) {
            renewing = false;
            connect();
        } else if (!stopped) {
            retryLater(reason);
        }
    }

    private void retryLater(String reason) {
        if (!reason.equals(outage)) {
            LOG.warn("hub {}: upstream {} {} ({}); {} telemetry messages wait in the outbox and go out once it is back;"
                    + " trying again every {} s at most", hubName, config.address(), outage == null ? "lost" : "unreachable",
                    reason, outbox.waitingCount(), MAX_RETRY_MILLIS / 1000);
            outage = reason;
        }
        vertx.setTimer(retryMillis, t -> context.runOnContext(v -> connect()));
        retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
    }

    private void pump() {
        while (client != null && sent.size() < WINDOW) {
            Message message = toSend.poll();
            if (message == null) {
                takeMore();
                return;
            }
            publish(client, message);
        }
    }

    private void takeMore() {
        if (taking || stopped) {
            return;
        }
        taking = true;
        outbox.take(WINDOW).onComplete(outcome -> {
            taking = false;
            if (outcome.failed()) {
                LOG.warn("hub {}: reading the upstream outbox failed; trying again in a second", hubName, outcome.cause());
                vertx.setTimer(1_000, t -> context.runOnContext(v -> pump()));
                return;
            }
            List<Message> taken = outcome.result();
            if (!taken.isEmpty()) {
                toSend.addAll(taken);
                pump();
            }
        });
    }

    private void publish(MqttClient on, Message message) {
        Sent entry = new Sent(message);
        sent.add(entry);
        // The prefix as configured now: a change of it covers the messages that waited in the outbox too.
        String topic = config.iotHub() ? UpstreamTopics.asDevice(config.iotHubDeviceId(), hubName, message.topic())
                : config.topicPrefix() + message.topic();
        byte[] body = message.body();
        int size = config.maxMessageBytes() == 0 ? 0 : config.iotHub() ? UpstreamTopics.iotHubSize(topic, body.length)
                : topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + body.length;
        if (size > config.maxMessageBytes()) {
            // The upstream would close the connection at every try, and every message behind this one would wait for ever.
            dropped++;
            LOG.error("hub {}: a message of device {} is {} bytes{}, over the {} the upstream takes: not forwarded ({}"
                    + " dropped since the start)", hubName, UpstreamTopics.deviceOf(message.topic()), size,
                    config.iotHub() ? " with the properties saying who sent it" : "", config.maxMessageBytes(), dropped);
            entry.acknowledged = true;
            release();
            return;
        }
        on.publish(topic, Buffer.buffer(body), MqttQoS.AT_LEAST_ONCE, false, false)
                .onComplete(outcome -> {
                    if (on != client) {
                        return;
                    }
                    if (outcome.failed()) {
                        on.disconnect();
                        lost(on, "a publish failed: " + outcome.cause().getMessage());
                        return;
                    }
                    Integer packetId = outcome.result();
                    if (earlyAcks.remove(packetId)) {
                        entry.acknowledged = true;
                        release();
                    } else {
                        byPacketId.put(packetId, entry);
                    }
                });
    }

    private void acknowledged(MqttClient on, int packetId) {
        if (on != client) {
            return;
        }
        Sent entry = byPacketId.remove(packetId);
        if (entry == null) {
            earlyAcks.add(packetId);
            return;
        }
        entry.acknowledged = true;
        release();
    }

    /** Lets the outbox forget the acknowledged messages at the head, and sends more. */
    private void release() {
        int count = 0;
        long bytes = 0;
        long last = -1;
        while (!sent.isEmpty() && sent.peek().acknowledged) {
            Message message = sent.poll().message;
            count++;
            bytes += message.size();
            last = message.number();
        }
        if (count > 0) {
            outbox.delivered(last, count, bytes);
            forwarded += count;
        }
        pump();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof MqttConnectionException refused) {
            MqttConnectReturnCode code = refused.code();
            return switch (code) {
                // Mosquitto answers a wrong password with "not authorized": both are the login's.
                case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD -> "the broker refused the login: bad user name or password";
                case CONNECTION_REFUSED_NOT_AUTHORIZED -> "the broker refused the login: not authorized";
                case CONNECTION_REFUSED_IDENTIFIER_REJECTED -> "the broker refused the client ID";
                default -> "the broker refused the connection (" + code + ")";
            };
        }
        if (failure instanceof java.net.ConnectException refused) {
            return LinkedHubFailure.connectReason(refused); // Netty's own message names the native call
        }
        if (failure instanceof io.netty.channel.ConnectTimeoutException) {
            return "no answer within " + CONNECT_TIMEOUT_MILLIS / 1000 + " s";
        }
        if (failure instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + failure.getMessage();
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }
}
