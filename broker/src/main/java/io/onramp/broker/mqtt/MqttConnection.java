package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One client connection: the MQTT 3.1.1 state machine (CONNECT first and once, keep-alive, ack
 * order, protocol errors close the connection) around the session its realm chose. It runs on the
 * connection's event loop.
 */
final class MqttConnection implements MqttChannel {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    private static final int PROTOCOL_3_1_1 = 4;

    private enum State { AWAIT_CONNECT, AUTHENTICATING, OPEN, CLOSED }

    private final MqttTransport transport;
    private final Channel channel;
    private final MqttLimits limits;
    private final MqttConnectHandler realm;
    private final Outbound outbound;
    private final Deadlines deadlines;
    private State state = State.AWAIT_CONNECT;
    /** System.nanoTime() by which the next packet must arrive; none while the realm decides. */
    private long deadline;
    private long keepAliveNanos;
    /** The client said DISCONNECT: its will, if any, is dropped. */
    private boolean disconnected;
    private MqttSession session;
    /** PUBACKs owed in the order the PUBLISHes arrived (MQTT 4.6), when an earlier one is still being handled. */
    private ArrayDeque<OwedAck> owedAcks;

    MqttConnection(MqttTransport transport, MqttLimits limits, MqttConnectHandler realm, Deadlines deadlines) {
        this.transport = transport;
        this.channel = transport.channel();
        this.limits = limits;
        this.realm = realm;
        this.outbound = new Outbound(channel, limits);
        this.deadlines = deadlines;
        this.deadline = System.nanoTime() + limits.connectTimeout().toNanos();
        deadlines.watch(this);
    }

    void handle(Object packet) {
        try {
            if (packet instanceof MqttMessage message) {
                dispatch(message);
            }
        } finally {
            ReferenceCountUtil.release(packet);
        }
    }

    private void dispatch(MqttMessage message) {
        DecoderResult result = message.decoderResult();
        if (result.isFailure()) {
            if (result.cause() instanceof MqttUnacceptableProtocolVersionException && state == State.AWAIT_CONNECT) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "protocol version");
            } else {
                protocolError("malformed packet: " + result.cause().getMessage());
            }
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        if (state == State.CLOSED) {
            return;
        }
        if (type == MqttMessageType.CONNECT) {
            onConnect((MqttConnectMessage) message);
            return;
        }
        if (state != State.OPEN) {
            protocolError(type + " before CONNACK");
            return;
        }
        deadline = System.nanoTime() + keepAliveNanos;
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) message);
            case PUBACK -> outbound.acknowledged(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) message);
            case PINGREQ -> channel.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> {
                disconnected = true;
                close();
            }
            default -> protocolError("unsupported packet " + type);
        }
    }

    private void onConnect(MqttConnectMessage connect) {
        if (state != State.AWAIT_CONNECT) {
            protocolError("second CONNECT");
            return;
        }
        if (connect.variableHeader().version() != PROTOCOL_3_1_1) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "protocol level "
                    + connect.variableHeader().version());
            return;
        }
        String clientId = connect.payload().clientIdentifier();
        if (clientId == null || clientId.isEmpty()) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id");
            return;
        }
        if (connect.variableHeader().isWillFlag() && connect.variableHeader().willQos() > 2) {
            protocolError("will QoS 3");
            return;
        }
        state = State.AUTHENTICATING;
        // Nothing is read while the realm decides: packets sent before CONNACK wait in the socket.
        transport.pause();
        MqttConnect request = new MqttConnect(clientId,
                connect.variableHeader().hasUserName() ? connect.payload().userName() : null,
                connect.variableHeader().hasPassword() ? new String(connect.payload().passwordInBytes(),
                        java.nio.charset.StandardCharsets.UTF_8) : null,
                connect.variableHeader().isCleanSession(), connect.variableHeader().keepAliveTimeSeconds(),
                new PeerCertificateChain(transport.sslSession()), transport.serverName(),
                will(connect));
        Future<MqttSession> decided;
        try {
            decided = realm.connect(request, this);
        } catch (RuntimeException e) {
            decided = Future.failedFuture(e);
        }
        decided.onComplete(outcome -> {
            if (state == State.CLOSED) {
                if (outcome.succeeded()) {
                    outcome.result().closed(disconnected);
                }
                return;
            }
            if (outcome.failed()) {
                Throwable failure = outcome.cause();
                if (failure instanceof ConnectRefusedException refused) {
                    refuse(refused.code(), refused.getMessage(), refused.routine() ? Level.DEBUG : Level.INFO);
                } else {
                    LOG.warn("CONNECT of {} failed", clientId, failure);
                    refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "internal error");
                }
                return;
            }
            session = outcome.result();
            state = State.OPEN;
            startKeepAlive(request.keepAliveSeconds());
            channel.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, session.sessionPresent()));
            transport.resume();
        });
    }

    private static MqttConnect.Will will(MqttConnectMessage connect) {
        if (!connect.variableHeader().isWillFlag()) {
            return null;
        }
        return new MqttConnect.Will(connect.payload().willTopic(), connect.payload().willMessageInBytes(),
                MqttQoS.valueOf(connect.variableHeader().willQos()), connect.variableHeader().isWillRetain());
    }

    private void startKeepAlive(int keepAliveSeconds) {
        long capMillis = limits.maxKeepAlive().toMillis();
        long timeoutMillis = keepAliveSeconds == 0 ? capMillis : Math.min(capMillis, keepAliveSeconds * 1500L);
        keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        deadline = System.nanoTime() + keepAliveNanos;
    }

    /** Whether no CONNECT came in time, or no packet within the keep-alive. */
    boolean deadlinePassed(long nowNanos) {
        return state != State.AUTHENTICATING && nowNanos - deadline > 0;
    }

    /** The deadline passed: the connection goes. */
    void expire() {
        LOG.debug("closing {}: {}", remoteAddress(), state == State.AWAIT_CONNECT ? "no CONNECT in time" : "keep-alive expired");
        deadlines.forget(this);
        close();
    }

    private void onPublish(MqttPublishMessage publish) {
        MqttQoS qos = publish.fixedHeader().qosLevel();
        String topic = publish.variableHeader().topicName();
        if (qos == MqttQoS.EXACTLY_ONCE || qos == MqttQoS.FAILURE) {
            protocolError("QoS 2 is not supported");
            return;
        }
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\0') >= 0) {
            protocolError("PUBLISH topic with wildcards");
            return;
        }
        Future<Void> handled;
        try {
            handled = session.publish(topic, qos, publish.fixedHeader().isRetain(), publish.payload());
        } catch (RuntimeException e) {
            LOG.warn("PUBLISH from {} failed", remoteAddress(), e);
            handled = Future.failedFuture(e);
        }
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            acknowledgeInOrder(publish.variableHeader().packetId(), handled);
        } else if (handled.failed()) {
            close();
        }
    }

    private void acknowledgeInOrder(int packetId, Future<Void> handled) {
        if (handled.succeeded() && (owedAcks == null || owedAcks.isEmpty())) {
            channel.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId).build());
            return;
        }
        if (handled.failed()) {
            close();
            return;
        }
        if (owedAcks == null) {
            owedAcks = new ArrayDeque<>();
        }
        OwedAck owed = new OwedAck(packetId);
        owedAcks.add(owed);
        handled.onComplete(outcome -> execute(() -> {
            if (outcome.failed()) {
                close();
                return;
            }
            owed.done = true;
            boolean wrote = false;
            while (!owedAcks.isEmpty() && owedAcks.peek().done) {
                channel.write(MqttMessageBuilders.pubAck().packetId(owedAcks.poll().packetId).build());
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }));
    }

    private static final class OwedAck {
        final int packetId;
        boolean done;

        OwedAck(int packetId) {
            this.packetId = packetId;
        }
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        if (subscribe.payload().topicSubscriptions().isEmpty()) {
            protocolError("SUBSCRIBE without a filter");
            return;
        }
        List<Integer> granted = new ArrayList<>(subscribe.payload().topicSubscriptions().size());
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            granted.add(session.subscribe(s.topicFilter(), s.qualityOfService()));
        }
        channel.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                new MqttSubAckPayload(granted)));
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        if (unsubscribe.payload().topics().isEmpty()) {
            protocolError("UNSUBSCRIBE without a filter");
            return;
        }
        unsubscribe.payload().topics().forEach(session::unsubscribe);
        channel.writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())));
    }

    /** Logged at INFO, as the HTTPS heads log their refusals: the client sees only the code, the operator needs the reason. */
    private void refuse(MqttConnectReturnCode code, String reason) {
        refuse(code, reason, Level.INFO);
    }

    private void refuse(MqttConnectReturnCode code, String reason, Level logLevel) {
        LOG.atLevel(logLevel).log("CONNECT from {} refused ({}): {}", remoteAddress(), code, reason);
        state = State.CLOSED;
        channel.writeAndFlush(connAck(code, false)).addListener(f -> channel.close());
    }

    private void protocolError(String what) {
        LOG.info("closing {}: {}", remoteAddress(), what);
        close();
    }

    /** The socket closed, whoever closed it. */
    void onClosed() {
        State was = state;
        state = State.CLOSED;
        deadlines.forget(this);
        outbound.close();
        if (was == State.OPEN && session != null) {
            session.closed(disconnected);
        }
    }

    private static MqttConnAckMessage connAck(MqttConnectReturnCode code, boolean sessionPresent) {
        return new MqttConnAckMessage(
                new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(code, sessionPresent));
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, ByteBuf payload, boolean duplicate) {
        Promise<Void> outcome = Promise.promise();
        outbound.enqueue(new Outbound.Message(topic, qos, payload, outcome, duplicate));
        return outcome.future();
    }

    @Override
    public boolean offer(String topic, MqttQoS qos, ByteBuf payload) {
        return outbound.enqueue(new Outbound.Message(topic, qos, payload, null, false));
    }

    /** The socket can take more: send what waited. */
    void onWritable() {
        outbound.pump();
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public void close() {
        if (channel.eventLoop().inEventLoop()) {
            channel.close();
        } else {
            execute(this::close);
        }
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public String clientAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress client && client.getAddress() != null
                ? client.getAddress().getHostAddress() : null;
    }
}
