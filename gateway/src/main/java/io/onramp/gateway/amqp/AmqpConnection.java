package io.onramp.gateway.amqp;

import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonLink;
import io.vertx.proton.ProtonSession;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One device's AMQP connection after SASL: opens it (or closes it with the reason when nothing was proven, or it is
 * no DPS client), bounds its sessions and links, and admits a link only to the registration the device proved:
 * the SASL user's (SAS token, TPM), or the one the link names when the TLS client certificate is the proof, which the
 * core's X.509 attestation then judges (leaf CN = registration ID, chain = enrollment). Admitted links go to the
 * connection's one {@link DpsAmqpLink}.
 */
final class DpsAmqpConnection {

    private static final Logger LOG = LoggerFactory.getLogger(DpsAmqpConnection.class);
    /** How long a refused client has to answer our close before the socket goes. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;
    static final String NOT_SERVED = "Onramp serves only the DPS device API over AMQP, on links to"
            + " {idScope}/registrations/{registrationId}; IoT hub devices connect over MQTT (listen.mqtts, port 8883)"
            + " or HTTPS (listen.https, port 443)";
    static final String NO_CREDENTIAL = "No credential: symmetric-key devices authenticate with SASL PLAIN (user"
            + " {idScope}/registrations/{registrationId}, password a SAS token), X.509 devices with a TLS client certificate";

    private final Vertx vertx;
    private final ProvisioningService provisioning;
    private final AmqpLimits limits;
    private final ProtonConnection connection;
    private final AmqpHandshake handshake;
    private Context context;
    private DpsAmqpPeer peer;
    private boolean opened;
    private boolean refused;
    private int sessions;
    private int links;
    private DpsLinkAddress registration;
    private Future<DpsAmqpLink> admitted;

    DpsAmqpConnection(Vertx vertx, ProvisioningService provisioning, AmqpLimits limits, ProtonConnection connection) {
        this.vertx = vertx;
        this.provisioning = provisioning;
        this.limits = limits;
        this.connection = connection;
        this.handshake = AmqpHandshake.of(connection);
    }

    void start() {
        context = vertx.getOrCreateContext();
        connection.openHandler(opened -> onOpen());
        connection.closeHandler(closed -> {
            connection.close();
            connection.disconnect();
        });
        connection.disconnectHandler(gone -> handshake.closed());
        connection.sessionOpenHandler(this::onSession);
        // The device's sender link is our receiver and carries its requests; its receiver link is our sender.
        connection.receiverOpenHandler(receiver -> onLink(receiver, address(receiver.getRemoteTarget()),
                link -> link.attachRequests(receiver)));
        connection.senderOpenHandler(sender -> onLink(sender, address(sender.getRemoteSource()),
                link -> link.attachResponses(sender)));
    }

    private void onOpen() {
        peer = handshake.opened();
        if (peer instanceof DpsAmqpPeer.Anonymous) {
            refuse(AmqpError.UNAUTHORIZED_ACCESS, NO_CREDENTIAL, "neither SASL nor a client certificate");
        } else if (peer instanceof DpsAmqpPeer.NotServed notServed) {
            refuse(AmqpError.NOT_IMPLEMENTED, NOT_SERVED, "SASL user " + notServed.user() + " is no DPS registration");
        } else {
            connection.open();
            opened = true;
        }
    }

    private void onSession(ProtonSession session) {
        // A device may end a session, or detach a link, before it closes the connection, and wait for the answer (the
        // Node SDK does when it is done, and its registration fails if none comes): an end is answered with an end,
        // a detach with a detach, and either frees its place under the limits, a refused one's included (its end
        // comes back too), so that the count is of what is held.
        sessions++;
        session.closeHandler(ended -> {
            sessions--;
            session.close();
        });
        if (sessions > limits.maxSessions()) {
            session.setCondition(new ErrorCondition(AmqpError.RESOURCE_LIMIT_EXCEEDED,
                    "At most " + limits.maxSessions() + " sessions per connection"));
            session.open();
            session.close();
            return;
        }
        session.open();
    }

    private void onLink(ProtonLink<?> link, String address, Consumer<DpsAmqpLink> attach) {
        if (refused || peer == null) {
            link.close();
            return;
        }
        links++;
        link.closeHandler(detached -> {
            links--;
            link.close();
        });
        link.detachHandler(detached -> {
            links--;
            link.detach();
        });
        if (links > limits.maxLinks()) {
            refuseLink(link, AmqpError.RESOURCE_LIMIT_EXCEEDED, "At most " + limits.maxLinks() + " links per connection");
            return;
        }
        Optional<DpsLinkAddress> dps = DpsLinkAddress.parse(address);
        if (dps.isEmpty()) {
            LOG.info("AMQP from {}: link to {} refused, not a DPS registration", handshake.remote(), address);
            refuseLink(link, AmqpError.NOT_IMPLEMENTED, NOT_SERVED + " (this link is to " + address + ")");
            return;
        }
        admit(dps.get()).onComplete(outcome -> OnContext.run(context, () -> {
            if (outcome.succeeded()) {
                attach.accept(outcome.result());
            } else {
                Throwable cause = outcome.cause();
                boolean throttled = ProvisioningException.throttled(cause);
                refuse(throttled ? AmqpError.RESOURCE_LIMIT_EXCEEDED : AmqpError.UNAUTHORIZED_ACCESS,
                        throttled ? "Throttled; retry later" : "Unauthorized", "link to " + address + ": "
                        + cause.getMessage(), ProvisioningException.refusalLevel(cause));
            }
        }));
    }

    /** The connection's one registration: proven once, and every further link must name the same one. */
    private Future<DpsAmqpLink> admit(DpsLinkAddress address) {
        if (registration != null) {
            return registration.sameRegistration(address) ? admitted : Future.failedFuture(
                    ProvisioningException.unauthorized("the connection is for " + registration + ", not " + address));
        }
        registration = address;
        admitted = proof(address).map(credential -> new DpsAmqpLink(vertx, context, provisioning, address, credential,
                limits, handshake.clientAddress()));
        return admitted;
    }

    private Future<DeviceCredential> proof(DpsLinkAddress address) {
        if (peer instanceof DpsAmqpPeer.Sas sas) {
            return sameRegistration(sas.registration(), address, new DeviceCredential.Sas(sas.token()));
        }
        if (peer instanceof DpsAmqpPeer.Tpm tpm) {
            return sameRegistration(tpm.registration(), address,
                    new DeviceCredential.Tpm(tpm.endorsementKey(), tpm.storageRootKey(), tpm.token()));
        }
        DeviceCredential.X509 certificate = new DeviceCredential.X509(((DpsAmqpPeer.Certificate) peer).chain());
        return provisioning.authenticate(handshake.clientAddress(), address.idScope(), address.registrationId(),
                certificate).map(certificate);
    }

    private static Future<DeviceCredential> sameRegistration(DpsLinkAddress sasl, DpsLinkAddress link,
            DeviceCredential credential) {
        return sasl.sameRegistration(link) ? Future.succeededFuture(credential)
                : Future.failedFuture(ProvisioningException.unauthorized("SASL user " + sasl
                        + " is not the link's registration " + link));
    }

    /** Attached without a terminus, then detached with the reason: how AMQP refuses a link (1.0 2.6.3). */
    private static void refuseLink(ProtonLink<?> link, Symbol condition, String description) {
        link.setCondition(new ErrorCondition(condition, description));
        link.open();
        link.close();
    }

    /** Open (AMQP needs one before a close), close with the reason, and drop the socket if the client lingers. */
    private void refuse(Symbol condition, String description, String why) {
        refuse(condition, description, why, Level.INFO);
    }

    private void refuse(Symbol condition, String description, String why, Level logLevel) {
        if (refused) {
            return;
        }
        refused = true;
        LOG.atLevel(logLevel).log("AMQP from {}: connection closed with {}: {}", handshake.remote(), condition, why);
        connection.setCondition(new ErrorCondition(condition, description));
        if (!opened) {
            connection.open();
            opened = true;
        }
        connection.close();
        vertx.setTimer(CLOSE_GRACE_MILLIS, t -> connection.disconnect());
    }

    private static String address(org.apache.qpid.proton.amqp.transport.Target target) {
        return target instanceof Target t ? t.getAddress() : null;
    }

    private static String address(org.apache.qpid.proton.amqp.transport.Source source) {
        return source instanceof Source s ? s.getAddress() : null;
    }
}
