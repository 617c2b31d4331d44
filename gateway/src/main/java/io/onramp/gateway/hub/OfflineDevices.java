package io.onramp.gateway.hub;

import io.onramp.broker.hub.CloudMessage;
import io.onramp.broker.hub.DeviceMessaging;
import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.hub.MethodResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Device messaging and presence for a gateway whose hubs have no device listener: no device is
 * ever connected, so there is nobody to notify or disconnect, methods find no device online, and
 * cloud-to-device messages, which need the broker's queues, are refused as unavailable.
 */
public final class OfflineDevices implements DeviceMessaging, DevicePresence {

    @Override
    public Future<MethodResult> invokeMethod(String hubHostName, String deviceId, String methodName, String payloadJson,
            Duration responseTimeout) {
        return Future.failedFuture(new HubException(404, "DeviceNotOnline", "Device " + deviceId + " is not online."));
    }

    @Override
    public Future<Void> sendCloudToDevice(String hubHostName, String deviceId, CloudMessage message) {
        return Future.failedFuture(new HubException(503, "ServiceUnavailable",
                "Cloud-to-device messages need the hub's device listener, which this gateway does not run."));
    }

    @Override
    public void desiredChanged(String hubHostName, String deviceId, JsonObject patch, long desiredVersion) {
        // nobody is connected to hear it; devices read desired properties when they connect
    }

    @Override
    public void identityChanged(String hubHostName, String deviceId) {
        // no live connection to close
    }

    @Override
    public Presence presence(String hubHostName, String deviceId) {
        return Presence.NEVER;
    }

    @Override
    public int cloudToDeviceMessageCount(String hubHostName, String deviceId) {
        return 0;
    }

    @Override
    public int connectedCount(String hubHostName) {
        return 0;
    }
}
