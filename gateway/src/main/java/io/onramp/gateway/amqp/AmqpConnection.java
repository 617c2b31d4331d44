package io.onramp.gateway.amqp;

import io.onramp.broker.hub.HubDevices;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonLink;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import io.vertx.proton.ProtonSession;
import java.security.cert.X509Certificate;
import java.util.List;
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
 * One AMQP connection after SASL: opens it (or closes it with the reason), bounds its sessions and links, and hands
 * each link to the realm its address names: a DPS registration ({@link DpsAmqpAdmission}, {@link DpsAmqpLink}) or an
 * IoT hub device ({@link HubAmqpConnection}). A connection serves one realm, the one its first link chose; a
 * SASL-authenticated DPS registration is DPS from the start.
 */
final class AmqpConnection {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);
    /** How long a refused client has to answer our close before the socket goes. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;
    static final String SERVED = "Onramp serves over AMQP the DPS device API, on links to"
            + " {idScope}/registrations/{registrationId}, and IoT hub devices, on $cbs and /devices/{deviceId}/messages/events,"
            + " /messages/devicebound, /twin and /methods/devicebound";
    static final String NOT_SERVED = "SASL PLAIN users are DPS registrations ({idScope}/registrations/{registrationId})"
            + " or IoT hub devices ({deviceId}@sas.{hub}); hub devices may also authenticate with a CBS put-token (SASL"
            + " ANONYMOUS, MSSBCBS or none) or their TLS client certificate";
    static final String NO_CREDENTIAL = "No credential: symmetric-key devices authenticate with SASL PLAIN (user"
            + " {idScope}/registrations/{registrationId}, password a SAS token), X.509 devices with a TLS client certificate";
    static final String NO_PUT_TOKEN = "No device proved itself: put a device's SAS token on $cbs, or connect with its"
            + " TLS client certificate";

    private enum Realm { DPS, HUB }

    /** Java's MultiplexingClient puts up to 1,000 devices on one AMQPS connection, each with a session of its own. */
    static final int MAX_DEVICES = 1000;
    /** Telemetry, cloud-to-device, twin and methods, both ways for the last two, and room for a re-attach. */
    static final int LINKS_PER_DEVICE = 8;

    private final Vertx vertx;
    private final ProvisioningService provisioning;
    private final HubDevices hubs;
    private final AmqpLimits limits;
    private final ProtonConnection connection;
    private final AmqpHandshake handshake;
    private Context context;
    private DpsAmqpPeer peer;
    private Realm realm;
    private boolean opened;
    private boolean refused;
    private int sessions;
    private int links;
    private DpsAmqpAdmission dps;
    private HubAmqpConnection hub;

    AmqpConnection(Vertx vertx, ProvisioningService provisioning, HubDevices hubs, AmqpLimits limits,
            ProtonConnection connection) {
        this.vertx = vertx;
        this.provisioning = provisioning;
        this.hubs = hubs;
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
        connection.disconnectHandler(gone -> {
            handshake.closed();
            if (hub != null) {
                hub.closed();
            }
        });
        connection.sessionOpenHandler(this::onSession);
        // The device's sender link is our receiver; its receiver link is our sender.
        connection.receiverOpenHandler(receiver -> onLink(receiver, address(receiver.getRemoteTarget())));
        connection.senderOpenHandler(sender -> onLink(sender, address(sender.getRemoteSource())));
    }

    private void onOpen() {
        peer = handshake.opened();
        if (peer instanceof DpsAmqpPeer.NotServed notServed) {
            refuse(AmqpError.NOT_IMPLEMENTED, NOT_SERVED, "SASL user " + notServed.user() + " is no DPS registration");
            return;
        }
        if (peer instanceof DpsAmqpPeer.Sas || peer instanceof DpsAmqpPeer.Tpm) {
            realm = Realm.DPS;
        }
        connection.open();
        opened = true;
        if (peer instanceof DpsAmqpPeer.HubPlain plain) {
            provePlain(plain);
            return;
        }
        if (peer instanceof DpsAmqpPeer.Anonymous) {
            // Only a CBS put-token can prove anything here; one that never comes must not hold the connection.
            vertx.setTimer(limits.handshake().toMillis(), t -> {
                if (hub == null || !hub.authenticated()) {
                    refuse(AmqpError.UNAUTHORIZED_ACCESS, NO_PUT_TOKEN,
                            "no device proved itself within " + limits.handshake().toSeconds() + " s");
                }
            });
        }
    }

    /** A legacy client's SASL PLAIN: its token proves its device as a put-token would; a bad one closes the connection. */
    private void provePlain(DpsAmqpPeer.HubPlain plain) {
        if (hubs == null) {
            refuse(AmqpError.NOT_IMPLEMENTED, NOT_SERVED, "SASL user " + plain.deviceId() + "@sas… and no hubs here");
            return;
        }
        realm = Realm.HUB;
        hubConnection().provePlain(plain.deviceId(), plain.token()).onComplete(outcome -> OnContext.run(context, () -> {
            if (outcome.failed()) {
                refuse(AmqpError.UNAUTHORIZED_ACCESS, "Unauthorized", "SASL PLAIN for device " + plain.deviceId() + ": "
                        + outcome.cause().getMessage());
            }
        }));
    }

    private HubAmqpConnection hubConnection() {
        if (hub == null) {
            List<X509Certificate> chain = peer instanceof DpsAmqpPeer.Certificate certificate ? certificate.chain() : List.of();
            hub = new HubAmqpConnection(context, hubs, limits, handshake, chain,
                    handshake.addressedAs(connection.getRemoteHostname()));
        }
        return hub;
    }

    /** A hub connection may hold more for every device it proved: the SDKs multiplex up to 1,000 on one. */
    private int maxSessions() {
        return realm == Realm.DPS ? limits.maxSessions() : limits.maxHubSessions() + provenDevices();
    }

    private int maxLinks() {
        return realm == Realm.DPS ? limits.maxLinks() : limits.maxHubLinks() + LINKS_PER_DEVICE * provenDevices();
    }

    private int provenDevices() {
        return hub == null ? 0 : Math.min(hub.provenDevices(), MAX_DEVICES);
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
        if (sessions > maxSessions()) {
            session.setCondition(new ErrorCondition(AmqpError.RESOURCE_LIMIT_EXCEEDED,
                    "At most " + maxSessions() + " sessions per connection"));
            session.open();
            session.close();
            return;
        }
        session.open();
    }

    private void onLink(ProtonLink<?> link, String address) {
        if (refused || peer == null) {
            link.close();
            return;
        }
        links++;
        link.closeHandler(detached -> {
            links--;
            link.close();
            released(link);
        });
        link.detachHandler(detached -> {
            links--;
            link.detach();
            released(link);
        });
        if (links > maxLinks()) {
            refuseLink(link, AmqpError.RESOURCE_LIMIT_EXCEEDED, "At most " + maxLinks() + " links per connection");
            return;
        }
        Optional<DpsLinkAddress> registration = DpsLinkAddress.parse(address);
        if (registration.isPresent()) {
            onDpsLink(link, registration.get(), address);
        } else if (HubLinkAddress.looksLikeHub(address)) {
            onHubLink(link, address);
        } else {
            LOG.info("AMQP from {}: link to {} refused, neither a DPS registration nor a hub device", handshake.remote(),
                    address);
            refuseLink(link, AmqpError.NOT_FOUND, SERVED + " (this link is to " + address + ")");
        }
    }

    private void released(ProtonLink<?> link) {
        if (hub != null) {
            hub.detached(link);
        }
    }

    private void onDpsLink(ProtonLink<?> link, DpsLinkAddress registration, String address) {
        if (realm == Realm.HUB) {
            refuseLink(link, AmqpError.UNAUTHORIZED_ACCESS, "This connection is an IoT hub device's; provision on a"
                    + " connection of its own");
            return;
        }
        if (peer instanceof DpsAmqpPeer.Anonymous) {
            refuse(AmqpError.UNAUTHORIZED_ACCESS, NO_CREDENTIAL, "neither SASL nor a client certificate");
            return;
        }
        realm = Realm.DPS;
        if (dps == null) {
            dps = new DpsAmqpAdmission(vertx, context, provisioning, limits, handshake, peer);
        }
        Consumer<DpsAmqpLink> attach = link instanceof ProtonReceiver receiver ? dpsLink -> dpsLink.attachRequests(receiver)
                : dpsLink -> dpsLink.attachResponses((ProtonSender) link);
        dps.admit(registration).onComplete(outcome -> OnContext.run(context, () -> {
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

    private void onHubLink(ProtonLink<?> link, String address) {
        if (hubs == null) {
            refuseLink(link, AmqpError.NOT_FOUND, SERVED + " (this link is to " + address + ")");
            return;
        }
        if (realm == Realm.DPS) {
            LOG.info("AMQP from {}: link to {} refused on a DPS registration's connection", handshake.remote(), address);
            refuseLink(link, AmqpError.UNAUTHORIZED_ACCESS, "This connection authenticated a DPS registration; an IoT"
                    + " hub device connects on one of its own");
            return;
        }
        realm = Realm.HUB;
        hubConnection();
        if (link instanceof ProtonReceiver receiver) {
            hub.attachReceiver(receiver, address, AmqpConnection::refuseLink);
        } else {
            hub.attachSender((ProtonSender) link, address, AmqpConnection::refuseLink);
        }
    }

    /** Attached without a terminus, then detached with the reason: how AMQP refuses a link (1.0 2.6.3). */
    static void refuseLink(ProtonLink<?> link, Symbol condition, String description) {
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
