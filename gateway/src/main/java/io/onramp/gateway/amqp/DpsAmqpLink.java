package io.onramp.gateway.amqp;

import io.onramp.gateway.error.AmqpErrors;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.AnswerFloor;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.onramp.gateway.provisioning.RegistrationBody;
import io.onramp.gateway.provisioning.StatusRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request and response links of one authenticated registration (dps-device-protocol.md 8.5 to 8.8). Requests
 * go to the provisioning core one at a time, in the order they came: Java, C and C# take the next message on their
 * receiver link as the answer, so every request gets exactly one answer, in order. A request is settled
 * {@code accepted} with its answer, or {@code rejected} with the Azure error JSON instead of one. The request link's
 * credit is the bound on requests waiting: one more is granted per request answered.
 */
final class DpsAmqpLink {

    private static final Logger LOG = LoggerFactory.getLogger(DpsAmqpLink.class);
    private static final Symbol API_VERSION = Symbol.valueOf("com.microsoft:api-version");

    private final Vertx vertx;
    private final Context context;
    private final ProvisioningService provisioning;
    private final DpsLinkAddress registration;
    private final DeviceCredential credential;
    private final AmqpLimits limits;
    private final String clientAddress;
    private ProtonSender responses;
    private Future<Void> answered = Future.succeededFuture();

    DpsAmqpLink(Vertx vertx, Context context, ProvisioningService provisioning, DpsLinkAddress registration,
            DeviceCredential credential, AmqpLimits limits, String clientAddress) {
        this.vertx = vertx;
        this.context = context;
        this.provisioning = provisioning;
        this.registration = registration;
        this.credential = credential;
        this.limits = limits;
        this.clientAddress = clientAddress;
    }

    DpsLinkAddress registration() {
        return registration;
    }

    /** The device's sender link: our receiver, with the credit that bounds its waiting requests. */
    void attachRequests(ProtonReceiver receiver) {
        String apiVersion = receiver.getRemoteProperties() == null ? null
                : receiver.getRemoteProperties().get(API_VERSION) instanceof String v ? v : null;
        receiver.setMaxMessageSize(UnsignedLong.valueOf(limits.maxMessageBytes()));
        receiver.setTarget(receiver.getRemoteTarget())
                .setAutoAccept(false)
                .setPrefetch(0)
                .handler((delivery, message) -> {
                    long received = System.nanoTime();
                    answered = answered.transform(v -> answer(receiver, delivery, message, apiVersion, received));
                })
                .open();
        receiver.flow(limits.maxRequestsInFlight());
    }

    /** The device's receiver link: where the answers go. */
    void attachResponses(ProtonSender sender) {
        sender.setSource(sender.getRemoteSource()).open();
        responses = sender;
    }

    private Future<Void> answer(ProtonReceiver receiver, ProtonDelivery delivery, Message message, String apiVersion,
            long received) {
        Future<OperationStatus> outcome;
        Object correlationId = message.getCorrelationId();
        try {
            outcome = call(DpsAmqpMessages.parse(message), apiVersion);
        } catch (ProvisioningException e) {
            outcome = Future.failedFuture(e);
        }
        Promise<Void> done = Promise.promise();
        outcome.onComplete(result -> OnContext.run(context, () -> {
            Future<Void> sent;
            if (result.succeeded()) {
                delivery.disposition(Accepted.getInstance(), true);
                sent = AnswerFloor.send(vertx, received, () -> send(DpsAmqpMessages.response(result.result(), correlationId)));
            } else {
                delivery.disposition(rejection(result.cause()), true);
                sent = Future.succeededFuture();
            }
            sent.onComplete(v -> {
                if (receiver.isOpen()) {
                    receiver.flow(1);
                }
                done.complete();
            });
        }));
        return done.future();
    }

    private Future<OperationStatus> call(DpsAmqpMessages.Request request, String apiVersion) {
        if (request instanceof DpsAmqpMessages.Register register) {
            return provisioning.register(RegistrationBody.parse(register.body()).request(registration.idScope(),
                    registration.registrationId(), credential, apiVersion, register.forceRegistration(),
                    clientAddress));
        }
        DpsAmqpMessages.Status status = (DpsAmqpMessages.Status) request;
        // A TPM device's polls carry its token alone, as over HTTPS: its challenge was used up by the register.
        DeviceCredential pollCredential = credential instanceof DeviceCredential.Tpm tpm
                ? new DeviceCredential.Sas(tpm.sasToken()) : credential;
        return provisioning.operationStatus(new StatusRequest(registration.idScope(), registration.registrationId(),
                status.operationId(), pollCredential, clientAddress));
    }

    private Rejected rejection(Throwable failure) {
        ProvisioningException error = HttpErrors.classify(failure);
        String trackingId = UUID.randomUUID().toString();
        ProvisioningException.log(LOG, "AMQP " + registration + " request", error, trackingId, failure);
        return AmqpErrors.rejected(error, trackingId);
    }

    private void send(Message response) {
        if (responses == null || !responses.isOpen()) {
            LOG.debug("{} has no receiver link open: answer dropped", registration);
            return;
        }
        responses.send(response);
    }
}
