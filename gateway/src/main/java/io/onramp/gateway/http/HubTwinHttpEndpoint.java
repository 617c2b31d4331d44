package io.onramp.gateway.http;

import io.onramp.broker.hub.DeviceMessaging;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.registry.HubTwin;
import io.onramp.broker.registry.TwinWrite;
import io.onramp.broker.twin.TwinChange;
import io.onramp.broker.twin.TwinUpdate;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET/PATCH/PUT /twins/{id}}: the service side of device twins. A write that touches
 * desired properties is told to the device once it is durable.
 */
final class HubTwinHttpEndpoint {

    /** The Java service SDK sends PATCH as POST with this header (HttpsURLConnection cannot PATCH). */
    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    private final HubRequests requests;
    private final DeviceRegistry registry;
    private final DeviceMessaging messaging;
    private final DeviceViews views;

    HubTwinHttpEndpoint(HubRequests requests, DeviceRegistry registry, DeviceMessaging messaging, DeviceViews views) {
        this.requests = requests;
        this.registry = registry;
        this.messaging = messaging;
        this.views = views;
    }

    void mount(Router router) {
        router.get("/twins/:deviceId").handler(this::show);
        router.patch("/twins/:deviceId").handler(ctx -> write(ctx, false));
        router.post("/twins/:deviceId").handler(this::overriddenPatch);
        router.put("/twins/:deviceId").handler(ctx -> write(ctx, true));
    }

    private void show(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> registry.readTwin(hub.hostName(), ctx.pathParam("deviceId")))
                .onSuccess(twin -> HubRequests.json(ctx, views.twin(twin)))
                .onFailure(ctx::fail);
    }

    private void overriddenPatch(RoutingContext ctx) {
        if ("PATCH".equalsIgnoreCase(ctx.request().getHeader(METHOD_OVERRIDE))) {
            write(ctx, false);
        } else {
            ctx.fail(new ProvisioningException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed."));
        }
    }

    private void write(RoutingContext ctx, boolean replace) {
        String deviceId = ctx.pathParam("deviceId");
        String ifMatch = HubRequests.ifMatch(ctx);
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> {
                    TwinUpdate update = TwinUpdate.fromServiceBody(HubRequests.jsonBody(ctx));
                    return replace ? registry.replaceTwin(hub.hostName(), deviceId, update, ifMatch)
                            : registry.patchTwin(hub.hostName(), deviceId, update, ifMatch);
                })
                .onSuccess(write -> {
                    notifyDevice(write);
                    HubRequests.json(ctx, views.twin(new HubTwin(write.identity(), write.change().twin())));
                })
                .onFailure(ctx::fail);
    }

    private void notifyDevice(TwinWrite write) {
        TwinChange change = write.change();
        if (change.desiredChanged()) {
            messaging.desiredChanged(write.identity().hubHostName(), write.identity().deviceId(), change.desiredPatch(),
                    change.twin().desired().version());
        }
    }
}
