package io.onramp.gateway.http;

import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The read side of the IoT Hub registry REST API (hub-device-protocol.md 6.3) for hubs hosted
 * here: {@code GET /devices?top=n} and {@code GET /devices/{id}}, told apart by the Host header.
 */
public final class HubRegistryHttpEndpoint {

    private static final int MAX_TOP = 1000;

    private final HubServiceAuthenticator authenticator;
    private final DeviceRegistry registry;

    public HubRegistryHttpEndpoint(HubServiceAuthenticator authenticator, DeviceRegistry registry) {
        this.authenticator = authenticator;
        this.registry = registry;
    }

    public void mount(Router router) {
        router.get("/devices").handler(this::list);
        router.get("/devices/:deviceId").handler(this::show);
    }

    private void list(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(authenticate(ctx)))
                .compose(hub -> registry.list(hub.hostName(), top(ctx.queryParams().get("top"))))
                .onSuccess(devices -> {
                    JsonArray array = new JsonArray();
                    devices.forEach(d -> array.add(DeviceJson.identity(d)));
                    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(array.encode());
                })
                .onFailure(ctx::fail);
    }

    private void show(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(authenticate(ctx)))
                .compose(hub -> registry.find(hub.hostName(), ctx.pathParam("deviceId")))
                .onSuccess(device -> {
                    if (device.isEmpty()) {
                        ctx.fail(new ProvisioningException(ErrorCode.DEVICE_NOT_FOUND, "Device not found."));
                        return;
                    }
                    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                            .end(DeviceJson.identity(device.get()).encode());
                })
                .onFailure(ctx::fail);
    }

    private HubConfig authenticate(RoutingContext ctx) {
        String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
        return authenticator.authenticate(host, ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    }

    private static int top(String value) {
        if (value == null) {
            return MAX_TOP;
        }
        try {
            int top = Integer.parseInt(value);
            if (top >= 1 && top <= MAX_TOP) {
                return top;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProvisioningException.badRequest("top must be an integer from 1 to " + MAX_TOP + ".");
    }

    /** The Azure device JSON, plus the time the identity was created (an Onramp extension). */
    static final class DeviceJson {
        private DeviceJson() {}

        static JsonObject identity(DeviceIdentity d) {
            return new JsonObject()
                    .put("deviceId", d.deviceId())
                    .put("generationId", d.generationId())
                    .put("etag", d.etag())
                    .put("connectionState", "Disconnected")
                    .put("status", d.status().wireName())
                    .put("statusReason", null)
                    .put("connectionStateUpdatedTime", "0001-01-01T00:00:00Z")
                    .put("statusUpdatedTime", "0001-01-01T00:00:00Z")
                    .put("lastActivityTime", "0001-01-01T00:00:00Z")
                    .put("cloudToDeviceMessageCount", 0)
                    .put("authentication", new JsonObject()
                            .put("symmetricKey", new JsonObject().put("primaryKey", d.primaryKey()).put("secondaryKey", d.secondaryKey()))
                            .put("x509Thumbprint", new JsonObject().putNull("primaryThumbprint").putNull("secondaryThumbprint"))
                            .put("type", d.authType().wireName()))
                    .put("capabilities", new JsonObject().put("iotEdge", d.iotEdge()))
                    .put("createdTime", d.createdTime().toString());
        }
    }
}
