package io.onramp.gateway.hub;

import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.TwinMode;
import io.onramp.gateway.config.GatewayConfig.RemoteHub;
import io.onramp.gateway.store.Etags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A hub elsewhere (another Onramp, or an Azure IoT Hub), which provisioning reaches through its
 * registry REST API (re-provisioning also reads twins and deletes devices): {@code PUT /devices/{id}} creates the identity (on 409 it exists, and a
 * {@code PUT} with {@code If-Match: "*"} refreshes its credentials, keeping its status), then the initial twin is
 * written with {@code PATCH /twins/{id}}, or replaced with {@code PUT} under {@link TwinMode#RESET}.
 * Unlike a hosted hub, the twin's versions start at 2 when there is an initial twin (create, then
 * patch), and a reset cannot clear reported properties: the service side cannot write them.
 */
public final class RemoteHubClient implements HubClient {

    private static final Map<String, String> ANY_ETAG = Map.of("If-Match", "\"*\"");

    private final HubRestClient hub;
    private final Clock clock;

    public RemoteHubClient(HubRestClient hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
    }

    /** A client for a hub given by connection string in the config. */
    public static RemoteHubClient connect(Vertx vertx, Clock clock, RemoteHub remote) {
        return new RemoteHubClient(HubRestClient.linked(vertx, clock, remote), clock);
    }

    @Override
    public Future<DeviceIdentity> provision(DeviceProvisioning request) {
        String path = "/devices/" + HubRestClient.segment(request.deviceId());
        return hub.json(HttpMethod.PUT, path, identity(request), Map.of())
                .compose(created -> writeTwin(request, HttpMethod.PATCH).map(v -> identity(request, created, true)))
                .recover(failure -> {
                    if (!(failure instanceof HubException e && e.status() == 409)) {
                        return Future.failedFuture(failure);
                    }
                    // It exists: new credentials, the status it has (a PUT replaces the whole identity).
                    return hub.json(HttpMethod.GET, path, null, Map.of())
                            .compose(existing -> hub.json(HttpMethod.PUT, path, identity(request)
                                    .put("status", existing.getString("status"))
                                    .put("statusReason", existing.getString("statusReason")), ANY_ETAG))
                            .compose(updated -> (request.twinMode() == TwinMode.RESET ? writeTwin(request, HttpMethod.PUT)
                                    : Future.<Void>succeededFuture()).map(v -> identity(request, updated, false)));
                });
    }

    /** {@code GET /twins/{id}}: tags, desired properties (without {@code $metadata}, {@code $version}) and capabilities. */
    @Override
    public Future<Optional<DeviceData>> read(String hubHostName, String deviceId) {
        return hub.json(HttpMethod.GET, "/twins/" + HubRestClient.segment(deviceId), null, Map.of())
                .map(twin -> {
                    JsonObject desired = twin.getJsonObject("properties", new JsonObject())
                            .getJsonObject("desired", new JsonObject()).copy();
                    desired.fieldNames().removeIf(name -> name.startsWith("$"));
                    return Optional.of(new DeviceData(twin.getJsonObject("tags", new JsonObject()).getMap(),
                            desired.getMap(), twin.getJsonObject("capabilities", new JsonObject()).getBoolean("iotEdge", false)));
                })
                .recover(failure -> notFound(failure) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
    }

    /** {@code DELETE /devices/{id}} with {@code If-Match: "*"}; a device the hub does not have is gone already. */
    @Override
    public Future<Void> delete(String hubHostName, String deviceId) {
        return hub.send(HttpMethod.DELETE, "/devices/" + HubRestClient.segment(deviceId), null, ANY_ETAG).<Void>mapEmpty()
                .recover(failure -> notFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof HubException e && e.status() == 404;
    }

    /**
     * Disables a device (deprovisioning, dps-service-api 13.3) or enables it again: reads its identity and
     * writes it back with the status under {@code If-Match} of the etag read, so that a concurrent change
     * fails (412) rather than being overwritten. A disabled device's next connection is refused and the
     * ones it has are closed. Completes with the identity as the hub now holds it; a {@link HubException}
     * 404 when the hub does not know the device.
     */
    public Future<JsonObject> setStatus(String deviceId, DeviceStatus status, String statusReason) {
        String path = "/devices/" + HubRestClient.segment(deviceId);
        return hub.json(HttpMethod.GET, path, null, Map.of())
                .compose(current -> hub.json(HttpMethod.PUT, path,
                        current.copy().put("status", status.wireName()).put("statusReason", statusReason),
                        Map.of("If-Match", "\"" + Etags.bare(current.getString("etag", "*")) + "\"")));
    }

    private Future<Void> writeTwin(DeviceProvisioning request, HttpMethod method) {
        if (method == HttpMethod.PATCH && request.initialTags().isEmpty() && request.initialDesired().isEmpty()) {
            return Future.succeededFuture();
        }
        JsonObject twin = new JsonObject().put("tags", new JsonObject(request.initialTags()))
                .put("properties", new JsonObject().put("desired", new JsonObject(request.initialDesired())));
        return hub.send(method, "/twins/" + HubRestClient.segment(request.deviceId()), twin, ANY_ETAG).mapEmpty();
    }

    /** The identity body: keys, type and capabilities. */
    private static JsonObject identity(DeviceProvisioning r) {
        return new JsonObject()
                .put("deviceId", r.deviceId())
                .put("authentication", new JsonObject()
                        .put("type", r.authType().wireName())
                        .put("symmetricKey", new JsonObject().put("primaryKey", r.primaryKey())
                                .put("secondaryKey", r.secondaryKey() == null ? "" : r.secondaryKey()))
                        .put("x509Thumbprint", new JsonObject().put("primaryThumbprint", r.primaryThumbprint())
                                .put("secondaryThumbprint", r.secondaryThumbprint())))
                .put("capabilities", new JsonObject().put("iotEdge", r.iotEdge()));
    }

    /** What the hub answered, as the identity provisioning records; a new device has equal created and updated times. */
    private DeviceIdentity identity(DeviceProvisioning r, JsonObject json, boolean created) {
        Instant now = clock.instant();
        JsonObject authentication = json.getJsonObject("authentication", new JsonObject());
        JsonObject keys = authentication.getJsonObject("symmetricKey", new JsonObject());
        String type = authentication.getString("type");
        String status = json.getString("status");
        return new DeviceIdentity(r.hubHostName(), json.getString("deviceId", r.deviceId()), json.getString("generationId"),
                json.getString("etag"), status == null ? DeviceStatus.ENABLED : DeviceStatus.fromWire(status),
                type == null ? r.authType() : AuthType.fromWire(type), keys.getString("primaryKey", r.primaryKey()),
                keys.getString("secondaryKey", r.secondaryKey()),
                json.getJsonObject("capabilities", new JsonObject()).getBoolean("iotEdge", r.iotEdge()),
                created ? now : Instant.EPOCH, now);
    }
}
