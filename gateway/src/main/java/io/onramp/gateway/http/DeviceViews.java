package io.onramp.gateway.http;

import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.HubTwin;
import io.vertx.core.json.JsonObject;

/** Identity and twin JSON with the live fields (connection state, activity, queued messages) filled in. */
final class DeviceViews {

    private final DevicePresence presence;

    DeviceViews(DevicePresence presence) {
        this.presence = presence;
    }

    JsonObject identity(DeviceIdentity d) {
        return DeviceJson.identity(d, presence.presence(d.hubHostName(), d.deviceId()),
                presence.cloudToDeviceMessageCount(d.hubHostName(), d.deviceId()));
    }

    JsonObject twin(HubTwin twin) {
        DeviceIdentity d = twin.identity();
        return TwinJson.service(twin, presence.presence(d.hubHostName(), d.deviceId()),
                presence.cloudToDeviceMessageCount(d.hubHostName(), d.deviceId()));
    }
}
