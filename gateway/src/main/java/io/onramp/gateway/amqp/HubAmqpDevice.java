package io.onramp.gateway.amqp;

import io.netty.buffer.Unpooled;
import io.onramp.broker.hub.CloudDelivery;
import io.onramp.broker.hub.DeviceChannel;
import io.onramp.broker.hub.DeviceSession;
import io.onramp.broker.hub.HubException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonLink;
import io.vertx.proton.ProtonQoS;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's links on an AMQP connection (hub-device-protocol.md 4.3 to 4.7), turned into calls of its
 * {@link DeviceSession}, and the session's answers and pushes into messages on them. Lives on the connection's
 * context; the session calls in from anywhere and is moved there.
 */
final class HubAmqpDevice implements DeviceChannel {

    private static final Logger LOG = LoggerFactory.getLogger(HubAmqpDevice.class);
    private static final String REPORTED = "/properties/reported";
    private static final String DESIRED_NOTIFICATIONS = "/notifications/twin/properties/desired";

    private final Context context;
    private final AmqpLimits limits;
    private Runnable gone;
    private DeviceSession session;
    private final List<ProtonLink<?>> links = new ArrayList<>();
    private ProtonSender cloudToDevice;
    private ProtonSender twinOut;
    private ProtonSender methodsOut;
    private ProtonReceiver methodsIn;
    /** Twin requests waiting for their answer: the core's request ID for the correlation ID as the device sent it. */
    private final Map<String, Object> twinRequests = new HashMap<>();
    private long nextTwinRequest;
    private final List<Promise<Settlement>> unsettled = new ArrayList<>();
    private boolean closed;

    HubAmqpDevice(Context context, AmqpLimits limits) {
        this.context = context;
        this.limits = limits;
    }

    /** @param gone called once when the device's last link went or the hub closed it */
    void use(DeviceSession session, Runnable gone) {
        this.session = session;
        this.gone = gone;
        // Twin answers always come here, and go out only while the twin receiver link is open: every request's
        // correlation ID is then taken off the map by its answer.
        session.listenForTwinResponses(true);
    }

    DeviceSession session() {
        return session;
    }

    /** A link of this device the connection admitted: our receiver for what the device sends, our sender for the rest. */
    void attach(ProtonLink<?> link, HubLinkAddress.Kind kind) {
        session.touch();
        links.add(link);
        if (link instanceof ProtonReceiver receiver) {
            receiver.setTarget(receiver.getRemoteTarget()).setQoS(receiver.getRemoteQoS()).setAutoAccept(false).setPrefetch(0);
            switch (kind) {
                case TELEMETRY -> {
                    receiver.setMaxMessageSize(UnsignedLong.valueOf(limits.maxHubMessageBytes()));
                    receiver.handler((delivery, message) -> telemetry(receiver, delivery, message));
                }
                case TWIN -> receiver.handler((delivery, message) -> twinRequest(receiver, delivery, message));
                case METHODS -> {
                    methodsIn = receiver;
                    receiver.handler((delivery, message) -> methodAnswer(receiver, delivery, message));
                }
                default -> throw new IllegalArgumentException(kind + " is not a link the device sends on");
            }
            receiver.open();
            receiver.flow(limits.hubLinkCredit());
        } else {
            ProtonSender sender = (ProtonSender) link;
            sender.setSource(sender.getRemoteSource()).setQoS(sender.getRemoteQoS()).open();
            switch (kind) {
                case CLOUD_TO_DEVICE -> {
                    cloudToDevice = sender;
                    session.listenForCloudToDevice(true);
                }
                case TWIN -> twinOut = sender;
                case METHODS -> methodsOut = sender;
                default -> throw new IllegalArgumentException(kind + " is not a link the device receives on");
            }
        }
        // Methods are "subscribed" once both of their links are there (spec 4.7).
        session.listenForMethods(methodsIn != null && methodsOut != null);
    }

    /** The device detached one of its links, or the hub closed it. */
    void detached(ProtonLink<?> link) {
        if (!links.remove(link)) {
            return;
        }
        if (link == cloudToDevice) {
            cloudToDevice = null;
            session.listenForCloudToDevice(false);
            failUnsettled();
        } else if (link == twinOut) {
            twinOut = null;
        } else if (link == methodsOut) {
            methodsOut = null;
        } else if (link == methodsIn) {
            methodsIn = null;
        }
        session.listenForMethods(methodsIn != null && methodsOut != null);
        if (links.isEmpty()) {
            ended();
        }
    }

    /** The connection is gone, or the device's last link: the session ends. */
    void ended() {
        if (closed) {
            return;
        }
        closed = true;
        failUnsettled();
        session.closed();
        gone.run();
    }

    private void failUnsettled() {
        List<Promise<Settlement>> waiting = new ArrayList<>(unsettled);
        unsettled.clear();
        waiting.forEach(p -> p.tryFail("the device's cloud-to-device link went before it settled the message"));
    }

    private void telemetry(ProtonReceiver receiver, ProtonDelivery delivery, Message message) {
        session.touch();
        HubAmqpMessages.Telemetry telemetry;
        try {
            telemetry = HubAmqpMessages.telemetry(message);
        } catch (IllegalArgumentException e) {
            settle(receiver, delivery, rejected(AmqpError.DECODE_ERROR, e.getMessage()));
            return;
        }
        session.telemetry(telemetry.properties(), Unpooled.wrappedBuffer(telemetry.body()))
                .onComplete(outcome -> OnContext.run(context, () -> {
                    if (outcome.succeeded()) {
                        settle(receiver, delivery, Accepted.getInstance());
                    } else if (outcome.cause() instanceof HubException refused) {
                        LOG.info("rejected a message from {} on {}: {}", session.deviceId(), session.hubHostName(),
                                refused.getMessage());
                        settle(receiver, delivery, rejected(LinkError.MESSAGE_SIZE_EXCEEDED, refused.getMessage()));
                    } else {
                        // Not taken (the upstream outbox is full): the device may send it again later.
                        LOG.debug("telemetry of {} released: {}", session.deviceId(), outcome.cause().getMessage());
                        settle(receiver, delivery, Released.getInstance());
                    }
                }));
    }

    private void twinRequest(ProtonReceiver receiver, ProtonDelivery delivery, Message message) {
        session.touch();
        settle(receiver, delivery, Accepted.getInstance());
        String operation = HubAmqpMessages.annotation(message, HubAmqpMessages.OPERATION);
        String resource = HubAmqpMessages.annotation(message, HubAmqpMessages.RESOURCE);
        String requestId = Long.toString(nextTwinRequest++);
        twinRequests.put(requestId, message.getCorrelationId());
        if ("GET".equals(operation) && resource == null) {
            session.twinGet(requestId);
        } else if ("PATCH".equals(operation) && REPORTED.equals(resource)) {
            session.twinPatch(requestId, new String(HubAmqpMessages.body(message), StandardCharsets.UTF_8));
        } else if (("PUT".equals(operation) || "DELETE".equals(operation)) && DESIRED_NOTIFICATIONS.equals(resource)) {
            session.listenForDesired("PUT".equals(operation));
            twinResponse(requestId, 200, null, "");
        } else {
            session.twinRefused(requestId, new HubException(400, "ArgumentInvalid", "Twin operation " + operation
                    + " on " + resource + " is not one of GET, PATCH " + REPORTED + ", PUT or DELETE " + DESIRED_NOTIFICATIONS));
        }
    }

    private void methodAnswer(ProtonReceiver receiver, ProtonDelivery delivery, Message message) {
        session.touch();
        String requestId = HubAmqpMessages.methodRequestId(message.getCorrelationId());
        Integer status = HubAmqpMessages.methodStatus(message);
        if (requestId == null || status == null) {
            settle(receiver, delivery, rejected(AmqpError.INVALID_FIELD,
                    "A method answer carries the request's correlation-id and an int application property IoThub-status"));
            return;
        }
        byte[] body = HubAmqpMessages.body(message);
        boolean taken = session.methodAnswered(requestId, status, Unpooled.wrappedBuffer(body));
        settle(receiver, delivery, taken ? Accepted.getInstance()
                : rejected(LinkError.MESSAGE_SIZE_EXCEEDED, "A method answer is limited to 128 KiB"));
    }

    /** Settles what the device sent and lets it send one more: the link's credit bounds what waits on the hub. */
    private static void settle(ProtonReceiver receiver, ProtonDelivery delivery, DeliveryState outcome) {
        delivery.disposition(outcome, true);
        if (receiver.isOpen()) {
            receiver.flow(1);
        }
    }

    private static Rejected rejected(Symbol condition, String description) {
        Rejected rejected = new Rejected();
        rejected.setError(new ErrorCondition(condition, description));
        return rejected;
    }

    @Override
    public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /** Detaches every link of the device, saying why in general terms; the log line before said which. */
    @Override
    public void close() {
        OnContext.run(context, () -> {
            for (ProtonLink<?> link : new ArrayList<>(links)) {
                link.setCondition(new ErrorCondition(LinkError.DETACH_FORCED, "The hub closed the device's links: its"
                        + " token expired, it connected again, or its identity changed"));
                link.close();
            }
            links.clear();
            ended();
        });
    }

    @Override
    public void twinResponse(String requestId, int status, Long version, String body) {
        OnContext.run(context, () -> {
            Object correlationId = twinRequests.remove(requestId);
            if (twinOut != null && twinOut.isOpen()) {
                twinOut.send(HubAmqpMessages.twinResponse(correlationId, status, version, body));
            }
        });
    }

    @Override
    public void desiredPatch(String body, long version) {
        OnContext.run(context, () -> {
            if (twinOut != null && twinOut.isOpen()) {
                twinOut.send(HubAmqpMessages.desiredPatch(body, version));
            }
        });
    }

    @Override
    public void methodRequest(String methodName, String requestId, String payloadJson) {
        OnContext.run(context, () -> {
            if (methodsOut != null && methodsOut.isOpen()) {
                methodsOut.send(HubAmqpMessages.methodRequest(methodName, requestId, payloadJson));
            }
        });
    }

    /**
     * Sent unsettled with a lock token as delivery tag; the device's outcome says what to do with it (spec 4.5):
     * accepted completes, rejected drops, released or modified gives it back.
     */
    @Override
    public Future<Settlement> cloudToDevice(CloudDelivery delivery) {
        Promise<Settlement> settled = Promise.promise();
        OnContext.run(context, () -> {
            ProtonSender sender = cloudToDevice;
            if (sender == null || !sender.isOpen()) {
                settled.fail("the device has no cloud-to-device link open");
                return;
            }
            UUID lockToken = UUID.randomUUID();
            Message message = HubAmqpMessages.cloudToDevice(session.deviceId(), delivery.properties(), delivery.body(),
                    delivery.sequence(), lockToken);
            byte[] tag = ByteBuffer.allocate(16).putLong(lockToken.getMostSignificantBits())
                    .putLong(lockToken.getLeastSignificantBits()).array();
            if (sender.getQoS() == ProtonQoS.AT_MOST_ONCE) {
                // The device asked for settled deliveries: it cannot refuse one, sent counts as done.
                sender.send(tag, message);
                settled.complete(Settlement.COMPLETED);
                return;
            }
            unsettled.add(settled);
            sender.send(tag, message, update -> {
                DeliveryState state = update.getRemoteState();
                Settlement outcome = state instanceof Accepted ? Settlement.COMPLETED
                        : state instanceof Rejected ? Settlement.REJECTED : Settlement.ABANDONED;
                if (update.remotelySettled() || state != null) {
                    unsettled.remove(settled);
                    settled.tryComplete(outcome);
                }
            });
        });
        return settled.future();
    }
}
