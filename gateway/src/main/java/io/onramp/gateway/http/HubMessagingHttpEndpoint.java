package io.onramp.gateway.http;

import io.onramp.broker.hub.DeviceMessaging;
import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.hub.MethodResult;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * The service reaching devices: {@code POST /twins/{id}/methods} (direct methods, as in IoT Hub) and
 * {@code POST /devices/{id}/messages/deviceBound}, Onramp's REST form of cloud-to-device messages.
 * IoT Hub itself takes cloud-to-device messages over AMQP only ({@code /messages/devicebound} link);
 * here the body is the message and its properties are headers (see {@link CloudMessageRequest}); the
 * answer is 204 with the message ID in {@code iothub-messageid}.
 */
final class HubMessagingHttpEndpoint {

    /** How often a method call that may wait for the device to connect looks again. */
    private static final long CONNECT_POLL_MS = 250;

    private final HubRequests requests;
    private final DeviceRegistry registry;
    private final DeviceMessaging messaging;
    private final DevicePresence presence;

    HubMessagingHttpEndpoint(HubRequests requests, DeviceRegistry registry, DeviceMessaging messaging, DevicePresence presence) {
        this.requests = requests;
        this.registry = registry;
        this.messaging = messaging;
        this.presence = presence;
    }

    void mount(Router router) {
        router.post("/twins/:deviceId/methods").handler(this::invoke);
        router.post("/devices/:deviceId/messages/deviceBound").handler(this::send);
        router.post("/devices/:deviceId/messages/devicebound").handler(this::send);
    }

    private void invoke(RoutingContext ctx) {
        String deviceId = ctx.pathParam("deviceId");
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> {
                    MethodRequest request = MethodRequest.parse(HubRequests.jsonBody(ctx));
                    return existing(hub, deviceId)
                            .compose(v -> awaitConnection(ctx.vertx(), hub.hostName(), deviceId,
                                    System.nanoTime() + request.connectTimeout().toNanos()))
                            .compose(v -> messaging.invokeMethod(hub.hostName(), deviceId, request.methodName(),
                                    request.payloadJson(), request.responseTimeout()));
                })
                .onSuccess(result -> HubRequests.json(ctx, new JsonObject().put("status", result.status())
                        .put("payload", payload(result))))
                .onFailure(ctx::fail);
    }

    private void send(RoutingContext ctx) {
        String deviceId = ctx.pathParam("deviceId");
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> {
                    var message = CloudMessageRequest.parse(ctx.request().headers(), ctx.body().buffer(), Instant.now());
                    return existing(hub, deviceId)
                            .compose(v -> messaging.sendCloudToDevice(hub.hostName(), deviceId, message))
                            .map(v -> message.systemProperties().get("message-id"));
                })
                .onSuccess(messageId -> ctx.response().setStatusCode(204).putHeader("iothub-messageid", messageId).end())
                .onFailure(ctx::fail);
    }

    private Future<Void> existing(HubConfig hub, String deviceId) {
        return registry.find(hub.hostName(), deviceId).map(found -> {
            if (found.isEmpty()) {
                throw HubException.deviceNotFound(deviceId);
            }
            return null;
        });
    }

    /** connectTimeoutInSeconds: how long a call may wait for the device to come online before it is tried. */
    private Future<Void> awaitConnection(Vertx vertx, String hub, String deviceId, long deadlineNanos) {
        if (presence.presence(hub, deviceId).connected() || System.nanoTime() >= deadlineNanos) {
            return Future.succeededFuture();
        }
        return vertx.timer(CONNECT_POLL_MS).compose(t -> awaitConnection(vertx, hub, deviceId, deadlineNanos));
    }

    /** The device's answer as JSON; text that is not JSON is passed on as a string. */
    private static Object payload(MethodResult result) {
        String text = result.payloadJson();
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Json.decodeValue(text);
        } catch (DecodeException e) {
            return text;
        }
    }
}
