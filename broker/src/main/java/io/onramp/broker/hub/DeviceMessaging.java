package io.onramp.broker.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The hub's service side reaching devices: what the registry REST API calls after its own work is done. */
public interface DeviceMessaging {

    /** Invokes a direct method: 404 HubException when the device is not connected and subscribed, 504 when it does not answer in time. */
    Future<MethodResult> invokeMethod(String hubHostName, String deviceId, String methodName, String payloadJson, Duration responseTimeout);

    /** Queues a cloud-to-device message: 404 for an unknown device, 403 when its queue is full. */
    Future<Void> sendCloudToDevice(String hubHostName, String deviceId, CloudMessage message);

    /** Tells a connected, subscribed device that its desired properties changed; {@code patch} excludes {@code $version}. */
    void desiredChanged(String hubHostName, String deviceId, JsonObject patch, long desiredVersion);

    /** The identity was disabled, deleted or had its credentials changed: live connections of the device are closed. */
    void identityChanged(String hubHostName, String deviceId);
}
