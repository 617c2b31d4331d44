package io.onramp.gateway.http;

import io.onramp.broker.hub.CloudMessage;
import io.onramp.broker.hub.DeviceMessaging;
import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.hub.MethodResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the broker: records what the REST layer asks of devices and answers as told. */
final class RecordingDevices implements DeviceMessaging, DevicePresence {

    record Desired(String hub, String deviceId, JsonObject patch, long version) {}

    record Method(String hub, String deviceId, String name, String payloadJson, Duration timeout) {}

    final List<Desired> desired = new CopyOnWriteArrayList<>();
    final List<String> identityChanges = new CopyOnWriteArrayList<>();
    final List<Method> methods = new CopyOnWriteArrayList<>();
    final List<CloudMessage> messages = new CopyOnWriteArrayList<>();
    volatile Future<MethodResult> methodAnswer = Future.succeededFuture(new MethodResult(200, "null"));
    volatile Presence presence = Presence.NEVER;
    volatile int queued;

    @Override
    public Future<MethodResult> invokeMethod(String hubHostName, String deviceId, String methodName, String payloadJson,
            Duration responseTimeout) {
        methods.add(new Method(hubHostName, deviceId, methodName, payloadJson, responseTimeout));
        return methodAnswer;
    }

    @Override
    public Future<Void> sendCloudToDevice(String hubHostName, String deviceId, CloudMessage message) {
        messages.add(message);
        return Future.succeededFuture();
    }

    @Override
    public void desiredChanged(String hubHostName, String deviceId, JsonObject patch, long desiredVersion) {
        desired.add(new Desired(hubHostName, deviceId, patch, desiredVersion));
    }

    @Override
    public void identityChanged(String hubHostName, String deviceId) {
        identityChanges.add(deviceId);
    }

    @Override
    public Presence presence(String hubHostName, String deviceId) {
        return presence;
    }

    @Override
    public int cloudToDeviceMessageCount(String hubHostName, String deviceId) {
        return queued;
    }

    @Override
    public int connectedCount(String hubHostName) {
        return 0;
    }
}
