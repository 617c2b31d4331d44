package io.onramp.broker.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service side reaching this node's connected devices. */
final class HubMessaging implements DeviceMessaging {

    private static final Logger LOG = LoggerFactory.getLogger(HubMessaging.class);

    private final ConnectedDevices connected;
    private final MethodCalls methods;
    private final CloudToDeviceQueues cloudToDevice;

    HubMessaging(ConnectedDevices connected, MethodCalls methods, CloudToDeviceQueues cloudToDevice) {
        this.connected = connected;
        this.methods = methods;
        this.cloudToDevice = cloudToDevice;
    }

    @Override
    public Future<MethodResult> invokeMethod(String hubHostName, String deviceId, String methodName, String payloadJson,
            Duration responseTimeout) {
        return methods.invoke(hubHostName, deviceId, methodName, payloadJson, responseTimeout);
    }

    @Override
    public Future<Void> sendCloudToDevice(String hubHostName, String deviceId, CloudMessage message) {
        return cloudToDevice.send(hubHostName, deviceId, message);
    }

    @Override
    public void desiredChanged(String hubHostName, String deviceId, JsonObject patch, long desiredVersion) {
        DeviceSession session = connected.session(hubHostName, deviceId);
        if (session != null) {
            session.channel().execute(() -> session.desiredChanged(patch, desiredVersion));
        }
    }

    @Override
    public void identityChanged(String hubHostName, String deviceId) {
        cloudToDevice.recount(hubHostName, deviceId);
        DeviceSession session = connected.session(hubHostName, deviceId);
        if (session != null) {
            LOG.info("closing {} on {}: it was disabled, deleted or given new credentials at its hub", deviceId, hubHostName);
            session.channel().close();
        }
    }
}
