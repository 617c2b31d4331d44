package io.onramp.gateway.http;

import io.onramp.broker.hub.DeviceMessaging;
import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.hub.HubDevices;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.DeviceDraft;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.HubTwin;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.hub.OfflineDevices;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The IoT Hub registry REST API (service side, hub-device-protocol.md 6.3) of the hubs hosted
 * here, told apart by the Host header and authenticated with the hub's iothubowner SAS: device
 * identities here, twins in {@link HubTwinHttpEndpoint}, methods and cloud-to-device messages in
 * {@link HubMessagingHttpEndpoint}. Endpoints parse, delegate and answer; the rules live in the
 * registry and in {@code io.onramp.broker.twin}.
 */
public final class HubRegistryHttpEndpoint {

    private static final int MAX_TOP = 1000;
    private static final OfflineDevices OFFLINE = new OfflineDevices();

    private final HubRequests requests;
    private final DeviceRegistry registry;
    private final DeviceMessaging messaging;
    private final DevicePresence presence;
    private final DeviceViews views;
    private final HubTwinHttpEndpoint twins;
    private final HubMessagingHttpEndpoint messages;
    /** The devices' own requests; null on a gateway without hubs of its own to serve them (tests of the registry). */
    private final HubDeviceHttpEndpoint devices;

    /** For a gateway without a device listener: no device is ever connected (see {@link OfflineDevices}). */
    public HubRegistryHttpEndpoint(HubServiceAuthenticator authenticator, DeviceRegistry registry) {
        this(authenticator, registry, OFFLINE, OFFLINE, null);
    }

    public HubRegistryHttpEndpoint(HubServiceAuthenticator authenticator, DeviceRegistry registry,
            DeviceMessaging messaging, DevicePresence presence, HubDevices devices) {
        this.requests = new HubRequests(authenticator);
        this.registry = registry;
        this.messaging = messaging;
        this.presence = presence;
        this.views = new DeviceViews(presence);
        this.twins = new HubTwinHttpEndpoint(requests, registry, messaging, views);
        this.messages = new HubMessagingHttpEndpoint(requests, registry, messaging, presence);
        this.devices = devices == null ? null : new HubDeviceHttpEndpoint(devices);
    }

    public void mount(Router router) {
        router.get("/devices").handler(this::list);
        router.post("/devices/query").handler(this::query);
        router.get("/devices/:deviceId").handler(this::show);
        router.put("/devices/:deviceId").handler(this::put);
        router.delete("/devices/:deviceId").handler(this::delete);
        router.get("/statistics/devices").handler(this::deviceStatistics);
        router.get("/statistics/service").handler(this::serviceStatistics);
        twins.mount(router);
        messages.mount(router);
        if (devices != null) {
            devices.mount(router);
        }
    }

    /** Whether the request was sent to a hub hosted here: then IoT Hub's error body is the answer, whatever its path. */
    public boolean servesHost(RoutingContext ctx) {
        return requests.toHostedHub(ctx);
    }

    /** {@code GET /statistics/devices}, as IoT Hub answers it (Node's {@code Registry.getRegistryStatistics}). */
    private void deviceStatistics(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> registry.countByStatus(hub.hostName()))
                .onSuccess(counts -> {
                    long enabled = counts.getOrDefault(DeviceStatus.ENABLED, 0L);
                    long disabled = counts.getOrDefault(DeviceStatus.DISABLED, 0L);
                    HubRequests.json(ctx, new JsonObject().put("totalDeviceCount", enabled + disabled)
                            .put("enabledDeviceCount", enabled).put("disabledDeviceCount", disabled));
                })
                .onFailure(ctx::fail);
    }

    /** {@code GET /statistics/service}: the hub's devices connected to this gateway now. */
    private void serviceStatistics(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .onSuccess(hub -> HubRequests.json(ctx, new JsonObject()
                        .put("connectedDeviceCount", presence.connectedCount(hub.hostName()))))
                .onFailure(ctx::fail);
    }

    /**
     * {@code GET /devices?top=n}: at most 1,000 devices, as on IoT Hub. Beyond IoT Hub, a full page says
     * {@code x-ms-continuation} when more follow, and a request may send it back for the next page, as with the
     * query: {@code onramp devices list} reads hubs of any size this way; IoT Hub's clients send none and see no change.
     */
    private void list(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> {
                    int top = top(ctx.queryParams().get("top"));
                    String after = DeviceQuery.deviceIdAfter(ctx.request().getHeader("x-ms-continuation"));
                    // One more than a page tells whether another page follows.
                    return registry.list(hub.hostName(), after, top + 1).map(found -> {
                        List<DeviceIdentity> page = found.size() > top ? found.subList(0, top) : found;
                        if (found.size() > top) {
                            ctx.response().putHeader("x-ms-continuation",
                                    DeviceQuery.continuationAfter(page.get(page.size() - 1).deviceId()));
                        }
                        return page;
                    });
                })
                .onSuccess(devices -> {
                    JsonArray array = new JsonArray();
                    devices.forEach(d -> array.add(views.identity(d)));
                    HubRequests.json(ctx, array);
                })
                .onFailure(ctx::fail);
    }

    private void show(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> registry.find(hub.hostName(), ctx.pathParam("deviceId")))
                .map(found -> found.orElseThrow(() -> HubException.deviceNotFound(ctx.pathParam("deviceId"))))
                .onSuccess(device -> HubRequests.json(ctx, views.identity(device)))
                .onFailure(ctx::fail);
    }

    /** No If-Match: create (409 if it exists). With If-Match: update (404 if missing, 412 on another etag). */
    private void put(RoutingContext ctx) {
        String ifMatch = HubRequests.ifMatch(ctx);
        Future.<DeviceDraft>future(p -> p.complete(DeviceJson.draft(requests.hub(ctx).hostName(), ctx.pathParam("deviceId"),
                        HubRequests.jsonBody(ctx))))
                .compose(draft -> ifMatch == null ? registry.create(draft) : registry.update(draft, ifMatch).map(update -> {
                    if (update.connectionsMustClose()) {
                        messaging.identityChanged(draft.hubHostName(), draft.deviceId());
                    }
                    return update.after();
                }))
                .onSuccess(device -> HubRequests.json(ctx, views.identity(device)))
                .onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> registry.delete(hub.hostName(), ctx.pathParam("deviceId"), HubRequests.ifMatch(ctx)))
                .onSuccess(deleted -> {
                    messaging.identityChanged(deleted.hubHostName(), deleted.deviceId());
                    ctx.response().setStatusCode(204).end();
                })
                .onFailure(ctx::fail);
    }

    /** {@code SELECT * FROM devices}, a page of twins; {@code x-ms-continuation} says there is more. */
    private void query(RoutingContext ctx) {
        Future.<HubConfig>future(p -> p.complete(requests.hub(ctx)))
                .compose(hub -> {
                    Object text = HubRequests.jsonBody(ctx).getValue("query");
                    DeviceQuery query = DeviceQuery.parse(text instanceof String s ? s : null,
                            ctx.request().getHeader("x-ms-max-item-count"), ctx.request().getHeader("x-ms-continuation"));
                    // One more than a page tells whether another page follows.
                    return registry.twins(hub.hostName(), query.afterDeviceId(), query.pageSize() + 1)
                            .map(found -> page(ctx, found, query.pageSize()));
                })
                .onSuccess(page -> HubRequests.json(ctx, page))
                .onFailure(ctx::fail);
    }

    private JsonArray page(RoutingContext ctx, List<HubTwin> found, int pageSize) {
        List<HubTwin> page = found.size() > pageSize ? found.subList(0, pageSize) : found;
        JsonArray array = new JsonArray();
        page.forEach(t -> array.add(views.twin(t)));
        ctx.response().putHeader("x-ms-item-type", "Twin");
        if (found.size() > pageSize) {
            ctx.response().putHeader("x-ms-continuation",
                    DeviceQuery.continuationAfter(page.get(page.size() - 1).identity().deviceId()));
        }
        return array;
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
        throw HubRequests.badRequest("top must be an integer from 1 to " + MAX_TOP + ".");
    }
}
