package io.onramp.gateway.amqp;

import io.onramp.broker.hub.DeviceAuthenticator.Authenticated;
import io.onramp.broker.hub.HostedHub;
import io.onramp.broker.hub.HubDevices;
import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.text.PercentCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonLink;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IoT hub side of one AMQP connection (hub-device-protocol.md 4): the devices it proved with CBS put-tokens
 * ({@code $cbs}, spec 4.2) or its TLS client certificate, and their links. Several devices may share a connection
 * (the SDKs multiplex); each has its own {@link HubAmqpDevice} and session. A link is admitted only for a device the
 * connection proved; proofs are checked as at an MQTT CONNECT, by the hub's own authenticator.
 */
final class HubAmqpConnection {

    private static final Logger LOG = LoggerFactory.getLogger(HubAmqpConnection.class);
    static final Set<String> TOKEN_TYPES = Set.of("servicebus.windows.net:sastoken", "azure-devices.net:sastoken");

    private final Context context;
    private final HubDevices hubs;
    private final AmqpLimits limits;
    private final AmqpHandshake handshake;
    private final List<X509Certificate> chain;
    /** Where the connection was addressed: the open's host name, else what TLS SNI or the socket's address say. */
    private final List<String> addressedAs;
    /** The devices proved on this connection, by device ID; a later put-token for one replaces its proof. */
    private final Map<String, Future<Proof>> proofs = new HashMap<>();
    private final Map<String, HubAmqpDevice> devices = new HashMap<>();
    private final Map<ProtonLink<?>, HubAmqpDevice> owners = new HashMap<>();
    /** Device links attached and waiting for their device's proof. */
    private final Set<ProtonLink<?>> checking = new HashSet<>();
    private ProtonSender cbsReplies;

    /** A device the connection proved, at the hub its token or address named. */
    private record Proof(String hubHostName, Authenticated device) {

        /** A token run out (past the allowed skew) admits no more links; a certificate does not run out here. */
        boolean expired(Instant now, long skewSeconds) {
            return device.tokenExpiry() != null && now.isAfter(device.tokenExpiry().plusSeconds(skewSeconds));
        }
    }

    HubAmqpConnection(Context context, HubDevices hubs, AmqpLimits limits, AmqpHandshake handshake,
            List<X509Certificate> chain, List<String> addressedAs) {
        this.context = context;
        this.hubs = hubs;
        this.limits = limits;
        this.handshake = handshake;
        this.chain = List.copyOf(chain);
        this.addressedAs = addressedAs;
    }

    /** Whether a device has proved itself on this connection: an anonymous one that never does is closed. */
    boolean authenticated() {
        return provenDevices() > 0;
    }

    /** How many devices proved themselves here: each may have a session and its links. */
    int provenDevices() {
        int proven = 0;
        for (Future<Proof> proof : proofs.values()) {
            proven += proof.succeeded() ? 1 : 0;
        }
        return proven;
    }

    /** The device's sender link (our receiver): $cbs requests, telemetry, twin requests, method answers. */
    void attachReceiver(ProtonReceiver receiver, String address, LinkRefusal refuse) {
        if (HubLinkAddress.CBS.equals(address)) {
            receiver.setTarget(receiver.getRemoteTarget()).setAutoAccept(false).setPrefetch(0)
                    .handler((delivery, request) -> putToken(receiver, delivery, request)).open();
            receiver.flow(limits.hubLinkCredit());
            return;
        }
        attachDevice(receiver, address, true, refuse);
    }

    /** The device's receiver link (our sender): $cbs answers, cloud-to-device, twin answers, method requests. */
    void attachSender(ProtonSender sender, String address, LinkRefusal refuse) {
        if (HubLinkAddress.CBS.equals(address)) {
            sender.setSource(sender.getRemoteSource()).open();
            cbsReplies = sender;
            return;
        }
        attachDevice(sender, address, false, refuse);
    }

    /** How a link is refused: attached and detached at once with the condition. */
    interface LinkRefusal {
        void refuse(ProtonLink<?> link, Symbol condition, String description);
    }

    private void attachDevice(ProtonLink<?> link, String address, boolean deviceSends, LinkRefusal refuse) {
        Optional<HubLinkAddress> parsed = HubLinkAddress.parse(address);
        if (parsed.isEmpty()) {
            refuse.refuse(link, AmqpError.NOT_FOUND, AmqpConnection.SERVED
                    + " (this link is to " + address + ")");
            return;
        }
        HubLinkAddress hubLink = parsed.get();
        if (hubLink.moduleId() != null) {
            refuse.refuse(link, AmqpError.NOT_IMPLEMENTED,
                    "Module identities are not supported; connect as the device");
            return;
        }
        HubLinkAddress.Kind kind = hubLink.kind();
        boolean roleFits = kind == HubLinkAddress.Kind.TWIN || kind == HubLinkAddress.Kind.METHODS
                || (kind == HubLinkAddress.Kind.TELEMETRY) == deviceSends;
        if (!roleFits) {
            refuse.refuse(link, AmqpError.NOT_ALLOWED, "The device "
                    + (deviceSends ? "receives on " : "sends on ") + kind.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " links, not the other way round");
            return;
        }
        checking.add(link);
        proof(hubLink.deviceId()).onComplete(outcome -> OnContext.run(context, () -> {
            if (!checking.remove(link)) {
                return; // detached while its proof was checked
            }
            if (outcome.failed()) {
                LOG.info("AMQP from {}: link to {} refused: {}", handshake.remote(), address, outcome.cause().getMessage());
                refuse.refuse(link, AmqpError.UNAUTHORIZED_ACCESS, "Unauthorized:"
                        + " prove the device first, with a CBS put-token for it or its TLS client certificate");
                return;
            }
            HubAmqpDevice device = device(hubLink.deviceId(), outcome.result());
            owners.put(link, device);
            device.attach(link, kind);
        }));
    }

    /** The device's proof: a put-token's, else its client certificate, checked once per connection. */
    private Future<Proof> proof(String deviceId) {
        Future<Proof> proof = proofs.get(deviceId);
        if (proof != null && proof.succeeded() && proof.result().expired(Instant.now(), hubs.skewSeconds())) {
            proofs.remove(deviceId);
            return Future.failedFuture("the SAS token " + deviceId + " put on $cbs has run out; put a new one");
        }
        if (proof != null && !proof.failed()) {
            return proof;
        }
        if (chain.isEmpty()) {
            return Future.failedFuture("no CBS put-token for " + deviceId + " and no client certificate");
        }
        Optional<String> hub = addressedHub();
        if (hub.isEmpty()) {
            return Future.failedFuture("the connection names no hub hosted here (" + addressedAs + "), which an X.509"
                    + " device must: as the AMQP open's host name, or by the address it connects to");
        }
        Future<Proof> checked = hubs.authenticate(hub.get(), deviceId, null, () -> chain)
                .map(device -> new Proof(hub.get(), device));
        proofs.put(deviceId, checked);
        return checked;
    }

    /** The hub an X.509 device's connection is for: the first of its names that is a hub hosted here, or the only hub. */
    private Optional<String> addressedHub() {
        for (String name : addressedAs) {
            Optional<HostedHub> hub = name == null ? Optional.empty() : hubs.hub(withoutPort(name));
            if (hub.isPresent()) {
                return Optional.of(hub.get().hostName());
            }
        }
        List<String> all = hubs.hubHostNames();
        return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
    }

    private HubAmqpDevice device(String deviceId, Proof proof) {
        HubAmqpDevice device = devices.get(deviceId);
        if (device == null) {
            HubAmqpDevice created = new HubAmqpDevice(context, limits);
            created.use(hubs.open(proof.hubHostName(), proof.device(), created), () -> {
                devices.remove(deviceId, created);
                owners.values().removeIf(owner -> owner == created);
                // Its links are gone (the hub closed them when its token ran out, say): new ones need a new proof.
                proofs.remove(deviceId);
            });
            devices.put(deviceId, created);
            device = created;
        }
        return device;
    }

    /** The device detached one of its links (the connection answered the detach). */
    void detached(ProtonLink<?> link) {
        checking.remove(link);
        HubAmqpDevice device = owners.remove(link);
        if (device != null) {
            device.detached(link);
        }
        if (link == cbsReplies) {
            cbsReplies = null;
        }
    }

    /** The connection is gone: so are its devices' sessions. */
    void closed() {
        for (HubAmqpDevice device : List.copyOf(devices.values())) {
            device.ended();
        }
        devices.clear();
    }

    /**
     * A CBS request (spec 4.2): a put-token proves the device the token's {@code sr} names. Answered on the $cbs
     * receiver link with the request's message ID as correlation ID (same AMQP type: Java casts it) and an int
     * status-code: 200, 400 for a malformed request, 401 for a token that proves nothing.
     */
    private void putToken(ProtonReceiver receiver, ProtonDelivery delivery, Message request) {
        delivery.disposition(Accepted.getInstance(), true);
        // Renewals come for as long as the connection lasts (Java's every 45 minutes): one more credit for each.
        receiver.flow(1);
        Object messageId = request.getMessageId();
        String operation = String.valueOf(HubAmqpMessages.applicationProperty(request, "operation"));
        String type = String.valueOf(HubAmqpMessages.applicationProperty(request, "type"));
        Object name = HubAmqpMessages.applicationProperty(request, "name");
        Object token = request.getBody() instanceof AmqpValue value ? value.getValue() : null;
        if (!"put-token".equals(operation) || !TOKEN_TYPES.contains(type) || !(token instanceof String)
                || !(name instanceof String)) {
            answer(messageId, 400, "A put-token with type servicebus.windows.net:sastoken, a name and the token as"
                    + " the body is the only CBS request served");
            return;
        }
        proveWithToken((String) token, (String) name).onComplete(outcome -> OnContext.run(context, () -> {
            if (outcome.failed()) {
                LOG.info("AMQP from {}: CBS put-token for {} refused: {}", handshake.remote(), name,
                        outcome.cause().getMessage());
                answer(messageId, 401, "Unauthorized");
            } else {
                answer(messageId, 200, "OK");
            }
        }));
    }

    /** A legacy client's SASL PLAIN: user {@code {deviceId}@sas.{hub}}, its token's {@code sr} that device's. */
    Future<Void> provePlain(String deviceId, String token) {
        String resource;
        try {
            resource = SasToken.parse(token).decodedResource();
        } catch (SasTokenException | IllegalArgumentException e) {
            return Future.failedFuture("malformed SAS token: " + e.getMessage());
        }
        if (!resource.endsWith("/devices/" + deviceId)) {
            return Future.failedFuture("the token is for " + resource + ", not for device " + deviceId);
        }
        return proveWithToken(token, resource);
    }

    /**
     * Proves the device a SAS token's {@code sr} names ({@code {hub}/devices/{id}}), which {@code name} must denote
     * too: a put-token's, or a legacy client's SASL PLAIN. A device connected here is renewed up to the new expiry.
     */
    Future<Void> proveWithToken(String token, String name) {
        Optional<DeviceToken> parsed = DeviceToken.parse(token, name);
        if (parsed.isEmpty()) {
            return Future.failedFuture("not a device's SAS token for " + name);
        }
        DeviceToken device = parsed.get();
        Optional<HostedHub> hub = hubs.hub(device.hub()).or(() -> hubs.hub(withoutPort(device.hub())));
        if (hub.isEmpty()) {
            return Future.failedFuture("no hub is hosted as " + device.hub());
        }
        String hubHostName = hub.get().hostName();
        Future<Proof> proof = hubs.authenticate(hubHostName, device.deviceId(), token, () -> chain)
                .map(authenticated -> new Proof(hubHostName, authenticated));
        Future<Proof> current = proofs.get(device.deviceId());
        if (current == null || current.failed()) {
            // Links attached while it is checked wait for it (a SASL PLAIN client attaches right after its open);
            // a renewal replaces a good proof only once it is good itself.
            proofs.put(device.deviceId(), proof);
        }
        return proof.compose(proved -> {
            Promise<Void> applied = Promise.promise();
            OnContext.run(context, () -> {
                proofs.put(device.deviceId(), proof);
                HubAmqpDevice connected = devices.get(device.deviceId());
                Instant expiry = proved.device().tokenExpiry();
                if (connected != null && expiry != null) {
                    connected.session().renewed(expiry);
                }
                applied.complete();
            });
            return applied.future();
        });
    }

    private void answer(Object correlationId, int status, String description) {
        if (cbsReplies == null || !cbsReplies.isOpen()) {
            LOG.debug("AMQP from {}: CBS answer {} dropped, no $cbs receiver link", handshake.remote(), status);
            return;
        }
        Message reply = Proton.message();
        Properties properties = new Properties();
        properties.setCorrelationId(correlationId);
        properties.setTo("cbs");
        reply.setProperties(properties);
        reply.setApplicationProperties(new ApplicationProperties(Map.of("status-code", status,
                "status-description", description)));
        cbsReplies.send(reply);
    }

    private static String withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }

    /**
     * What a put-token names: the token's {@code sr}, {@code {hub}/devices/{deviceId}} (decoded), which the
     * request's {@code name} must denote too, percent-encoded (Node) or not (Java).
     */
    record DeviceToken(String hub, String deviceId) {

        static Optional<DeviceToken> parse(String token, String name) {
            String resource;
            try {
                resource = SasToken.parse(token).decodedResource();
                if (!resource.equalsIgnoreCase(PercentCodec.decode(name)) && !resource.equalsIgnoreCase(name)) {
                    return Optional.empty();
                }
            } catch (SasTokenException | IllegalArgumentException e) {
                return Optional.empty();
            }
            String[] parts = resource.split("/", -1);
            if (parts.length != 3 || parts[0].isEmpty() || !parts[1].equalsIgnoreCase("devices") || parts[2].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new DeviceToken(parts[0], parts[2]));
        }
    }
}
