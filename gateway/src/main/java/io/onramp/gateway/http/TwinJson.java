package io.onramp.gateway.http;

import io.onramp.broker.hub.DevicePresence.Presence;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.HubTwin;
import io.vertx.core.json.JsonObject;

/** The service view of a twin (hub-device-protocol.md 6.2): read-only identity fields around the twin document. */
final class TwinJson {

    private TwinJson() {}

    static JsonObject service(HubTwin hubTwin, Presence presence, int cloudToDeviceMessageCount) {
        DeviceIdentity d = hubTwin.identity();
        JsonObject twin = hubTwin.twin().serviceView();
        String statusUpdated = HubTimes.format(d.statusUpdatedTime());
        return new JsonObject()
                .put("deviceId", d.deviceId())
                .put("etag", twin.getString("etag"))
                .put("deviceEtag", DeviceJson.etag(d))
                .put("status", d.status().wireName())
                .put("statusReason", d.statusReason())
                .put("statusUpdateTime", statusUpdated)
                // The Java service SDK reads the time under this name instead of IoT Hub's statusUpdateTime.
                .put("statusUpdatedTime", statusUpdated)
                .put("connectionState", presence.connected() ? "Connected" : "Disconnected")
                .put("lastActivityTime", HubTimes.format(presence.lastActivityTime()))
                .put("cloudToDeviceMessageCount", cloudToDeviceMessageCount)
                .put("authenticationType", d.authType().wireName())
                .put("x509Thumbprint", new JsonObject().put("primaryThumbprint", d.primaryThumbprint())
                        .put("secondaryThumbprint", d.secondaryThumbprint()))
                .put("modelId", "")
                .put("version", twin.getLong("version"))
                .put("capabilities", new JsonObject().put("iotEdge", d.iotEdge()))
                .put("tags", twin.getJsonObject("tags"))
                .put("properties", twin.getJsonObject("properties"));
    }
}
