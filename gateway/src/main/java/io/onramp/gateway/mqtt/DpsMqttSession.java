package io.onramp.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.AnswerFloor;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.onramp.gateway.provisioning.RegistrationBody;
import io.onramp.gateway.provisioning.RegistrationJson;
import io.onramp.gateway.provisioning.RegistrationRequest;
import io.onramp.gateway.provisioning.StatusRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DPS device API over MQTT (dps-device-protocol.md 7): requests on {@code $dps/registrations/…}
 * topics go to the provisioning core, answers come back on the response topic with the HTTP status
 * of the same call. No provisioning logic lives here.
 */
final class DpsMqttSession implements MqttSession {

    private static final Logger LOG = LoggerFactory.getLogger(DpsMqttSession.class);
    /** The same limit as the HTTPS body. */
    static final int MAX_REQUEST_BYTES = 32 * 1024;
    private static final Future<Void> DONE = Future.succeededFuture();
    /** No answer leaves sooner than this after its request arrived: see {@link AnswerFloor}. */
    static final long MIN_ANSWER_MILLIS = AnswerFloor.MILLIS;

    private final Vertx vertx;
    private final ProvisioningService provisioning;
    private final DpsUserName user;
    private final DeviceCredential credential;
    private final MqttChannel channel;
    private MqttQoS responseQos;

    DpsMqttSession(Vertx vertx, ProvisioningService provisioning, DpsUserName user, DeviceCredential credential,
            MqttChannel channel) {
        this.vertx = vertx;
        this.provisioning = provisioning;
        this.user = user;
        this.credential = credential;
        this.channel = channel;
    }

    @Override
    public int subscribe(String filter, MqttQoS requested) {
        if (!DpsTopics.RESPONSE_FILTER.equals(filter)) {
            return 0x80;
        }
        // Azure grants at most QoS 1 (a QoS 2 request gets 1).
        responseQos = requested == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
        return responseQos.value();
    }

    @Override
    public void unsubscribe(String filter) {
        if (DpsTopics.RESPONSE_FILTER.equals(filter)) {
            responseQos = null;
        }
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload) {
        long received = System.nanoTime();
        DpsTopics.Request request = DpsTopics.parse(topic);
        if (request instanceof DpsTopics.Register register) {
            Future<OperationStatus> answer = payload.readableBytes() > MAX_REQUEST_BYTES
                    ? Future.failedFuture(new ProvisioningException(io.onramp.gateway.error.ErrorCode.MESSAGE_TOO_LARGE,
                            "The request body is larger than 32 KiB."))
                    : Future.<RegistrationRequest>future(p -> p.complete(registration(payload))).compose(provisioning::register);
            answer.onComplete(outcome -> respond(received, register.rid(), outcome.succeeded() ? outcome.result() : null,
                    outcome.cause()));
            return DONE;
        }
        if (request instanceof DpsTopics.Status status) {
            // The payload is ignored: Node sends a space, Java nothing, C the whole registration.
            provisioning.operationStatus(new StatusRequest(user.idScope(), user.registrationId(), status.operationId(),
                            credential, channel.clientAddress()))
                    .onComplete(outcome -> respond(received, status.rid(), outcome.succeeded() ? outcome.result() : null,
                            outcome.cause()));
            return DONE;
        }
        LOG.info("closing provisioning client {}: it published to {}", user.registrationId(), topic);
        return Future.failedFuture("not a DPS request topic");
    }

    private RegistrationRequest registration(ByteBuf payload) {
        return RegistrationBody.parse(payload.toString(StandardCharsets.UTF_8))
                .request(user.idScope(), user.registrationId(), credential, user.apiVersion(), false,
                        channel.clientAddress());
    }

    private void respond(long received, String rid, OperationStatus status, Throwable failure) {
        if (responseQos == null) {
            LOG.debug("{} did not subscribe to {}: answer to {} dropped", user.registrationId(), DpsTopics.RESPONSE_FILTER, rid);
            return;
        }
        String topic;
        String body;
        if (failure == null) {
            topic = DpsTopics.response(status.terminal() ? 200 : 202, rid,
                    status.terminal() ? null : OperationStatus.RETRY_AFTER_SECONDS);
            body = RegistrationJson.operation(status).encode();
        } else {
            ProvisioningException error = HttpErrors.classify(failure);
            String trackingId = UUID.randomUUID().toString();
            ProvisioningException.log(LOG, "MQTT " + user.registrationId() + " request " + rid, error, trackingId, failure);
            // 429 and 5xx make Node, C and Python retry after retry-after; Java fails either way.
            Integer retryAfter = error.status() == 429 || error.status() >= 500 ? OperationStatus.RETRY_AFTER_SECONDS : null;
            topic = DpsTopics.response(error.status(), rid, retryAfter);
            body = HttpErrors.body(error, trackingId).encode();
        }
        sendNoSoonerThanFloor(received, topic, responseQos, body);
    }

    private void sendNoSoonerThanFloor(long received, String topic, MqttQoS qos, String body) {
        AnswerFloor.send(vertx, received, () -> channel.offer(topic, qos, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
    }

    @Override
    public void closed(boolean disconnected) {
        // Nothing to release: DPS keeps no session state (spec 7.1).
    }
}
