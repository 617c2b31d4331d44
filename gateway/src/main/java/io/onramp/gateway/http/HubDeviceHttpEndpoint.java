package io.onramp.gateway.http;

import io.netty.buffer.Unpooled;
import io.onramp.broker.hub.DeviceAuthenticator.Authenticated;
import io.onramp.broker.hub.DeviceChannel.Settlement;
import io.onramp.broker.hub.HostedHub;
import io.onramp.broker.hub.HubDevices;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.hub.LockedMessage;
import io.onramp.broker.mqtt.ConnectRefusedException;
import io.onramp.broker.topic.MessageProperties;
import io.onramp.certs.x509.PeerCertificates;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IoT hub devices over HTTPS (hub-device-protocol.md 5), on the hub's host name: telemetry ({@code POST
 * /devices/{id}/messages/events}, one message or a batch) and cloud-to-device messages by polling ({@code GET
 * /devices/{id}/messages/devicebound}, then complete, reject or abandon by the lock token it came with as ETag). Each
 * request proves the device again: its SAS token in {@code Authorization}, or the TLS client certificate. No twin and
 * no methods over HTTPS, as on IoT Hub.
 */
final class HubDeviceHttpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HubDeviceHttpEndpoint.class);
    static final String BATCH = "application/vnd.microsoft.iothub.json";
    private static final String APP = "iothub-app-";
    /** Request headers that carry system properties, lower case, and the hub names they carry. */
    private static final Map<String, String> SYSTEM_HEADERS = Map.of(
            "iothub-messageid", "message-id",
            "iothub-correlationid", "correlation-id",
            "iothub-userid", "user-id",
            "iothub-expiry", "absolute-expiry-time",
            "iothub-contenttype", "content-type",
            "iothub-contentencoding", "content-encoding",
            "iothub-creation-time-utc", "iothub-creation-time-utc",
            "iothub-interface-id", "iothub-interface-id",
            "dt-subject", "dt-subject");

    private final HubDevices hubs;

    HubDeviceHttpEndpoint(HubDevices hubs) {
        this.hubs = hubs;
    }

    void mount(Router router) {
        router.post("/devices/:deviceId/messages/events").handler(this::send);
        router.get("/devices/:deviceId/messages/devicebound").handler(this::receive);
        router.delete("/devices/:deviceId/messages/devicebound/:lockToken").handler(this::completeOrReject);
        router.post("/devices/:deviceId/messages/devicebound/:lockToken/abandon").handler(this::abandon);
    }

    /** The request's device at the hub its Host names, proved by this request alone. */
    private Future<Proved> prove(RoutingContext ctx) {
        String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
        String deviceId = ctx.pathParam("deviceId");
        HostedHub hub = hubs.hub(host).orElse(null);
        if (hub == null) {
            return Future.failedFuture(new HubException(404, "IotHubNotFound", "No hub is hosted here as " + host + "."));
        }
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        return hubs.authenticate(hub.hostName(), deviceId, authorization, () -> PeerCertificates.of(ctx.request().sslSession()))
                .map(device -> new Proved(hub.hostName(), deviceId, device))
                .recover(failure -> {
                    if (!(failure instanceof ConnectRefusedException)) {
                        return Future.failedFuture(failure); // the store failed, say: not the device's fault
                    }
                    LOG.info("HTTPS {} {} from {} refused: {}", ctx.request().method(), ctx.request().path(),
                            ctx.request().remoteAddress(), failure.getMessage());
                    return Future.failedFuture(ProvisioningException.unauthorized(failure.getMessage()));
                });
    }

    private record Proved(String hubHostName, String deviceId, Authenticated device) {}

    private void send(RoutingContext ctx) {
        prove(ctx).compose(proved -> {
            List<Future<Void>> sent = new ArrayList<>();
            for (Event event : events(ctx)) {
                sent.add(hubs.telemetry(proved.hubHostName(), proved.device(), event.properties(),
                        Unpooled.wrappedBuffer(event.body())));
            }
            return Future.all(sent);
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private record Event(MessageProperties properties, byte[] body) {}

    /** One message (the body, properties in headers) or a batch (JSON array of base64 bodies and their properties). */
    private static List<Event> events(RoutingContext ctx) {
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(BATCH)) {
            return List.of(new Event(properties(ctx.request().headers()), body.getBytes()));
        }
        JsonArray batch;
        try {
            batch = new JsonArray(body);
        } catch (DecodeException e) {
            throw HubRequests.badRequest("A batch (" + BATCH + ") is a JSON array of {\"body\": base64, \"properties\": {…}}.");
        }
        List<Event> events = new ArrayList<>();
        for (Object item : batch) {
            if (!(item instanceof JsonObject message) || !(message.getValue("body") instanceof String encoded)) {
                throw HubRequests.badRequest("Every message of a batch is an object with a base64 \"body\".");
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            JsonObject properties = message.getJsonObject("properties", new JsonObject());
            properties.forEach(p -> headers.add(p.getKey(), String.valueOf(p.getValue())));
            try {
                events.add(new Event(properties(headers), Base64.getDecoder().decode(encoded)));
            } catch (IllegalArgumentException e) {
                throw HubRequests.badRequest("A message body of the batch is not base64.");
            }
        }
        return events;
    }

    /** {@code iothub-app-{name}} headers are application properties; the system ones of spec 5 keep their hub names. */
    static MessageProperties properties(MultiMap headers) {
        Map<String, String> system = new LinkedHashMap<>();
        Map<String, String> application = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(APP) && name.length() > APP.length()) {
                application.putIfAbsent(header.getKey().substring(APP.length()), header.getValue());
            } else if (SYSTEM_HEADERS.containsKey(name)) {
                system.putIfAbsent(SYSTEM_HEADERS.get(name), header.getValue());
            }
        }
        return new MessageProperties(system, application);
    }

    private void receive(RoutingContext ctx) {
        prove(ctx).compose(proved -> hubs.lockCloudToDevice(proved.hubHostName(), proved.deviceId()))
                .onSuccess(next -> {
                    if (next.isEmpty()) {
                        ctx.response().setStatusCode(204).end();
                        return;
                    }
                    LockedMessage locked = next.get();
                    var response = ctx.response().setStatusCode(200).putHeader(HttpHeaders.ETAG, "\"" + locked.lockToken() + "\"");
                    Map<String, String> system = locked.delivery().properties().system();
                    putIfPresent(response.headers(), "iothub-messageid", system.get("message-id"));
                    putIfPresent(response.headers(), "iothub-correlationid", system.get("correlation-id"));
                    putIfPresent(response.headers(), "iothub-userid", system.get("user-id"));
                    putIfPresent(response.headers(), "iothub-expiry", system.get("absolute-expiry-time"));
                    putIfPresent(response.headers(), "iothub-contenttype", system.get("content-type"));
                    putIfPresent(response.headers(), "iothub-contentencoding", system.get("content-encoding"));
                    putIfPresent(response.headers(), "iothub-ack", system.get("iothub-ack"));
                    response.putHeader("iothub-to", "/devices/" + ctx.pathParam("deviceId") + "/messages/devicebound");
                    locked.delivery().properties().application().forEach((name, value) ->
                            putIfPresent(response.headers(), APP + name, value));
                    response.end(Buffer.buffer(locked.delivery().body()));
                })
                .onFailure(ctx::fail);
    }

    private static void putIfPresent(MultiMap headers, String name, String value) {
        if (value != null && !value.isEmpty()) {
            headers.add(name, value);
        }
    }

    /** {@code DELETE …/devicebound/{lockToken}} completes; with {@code reject} among the query's keys, rejects. */
    private void completeOrReject(RoutingContext ctx) {
        String query = ctx.request().query();
        boolean reject = query != null && List.of(query.split("&")).stream().anyMatch(p -> p.equals("reject")
                || p.startsWith("reject="));
        settle(ctx, reject ? Settlement.REJECTED : Settlement.COMPLETED);
    }

    private void abandon(RoutingContext ctx) {
        settle(ctx, Settlement.ABANDONED);
    }

    private void settle(RoutingContext ctx, Settlement settlement) {
        String lockToken = ctx.pathParam("lockToken").replace("\"", "");
        prove(ctx).compose(proved -> hubs.settleCloudToDevice(proved.hubHostName(), proved.deviceId(), lockToken, settlement))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }
}
