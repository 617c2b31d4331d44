package io.onramp.broker.hub;

import io.vertx.core.Vertx;
import java.time.Clock;

/** What every device session of the hubs shares. */
record HubParts(
        Vertx vertx,
        Clock clock,
        TelemetryBus telemetry,
        DeviceTwins twins,
        MethodCalls methods,
        CloudToDeviceQueues cloudToDevice,
        ConnectedDevices connected) {

    /** A device's new connection: it replaces an older one, and gets what waits for it if it listens already. */
    void attach(DeviceSession session) {
        cloudToDevice.sessionStarted(session);
        connected.attach(session);
        if (session.cloudToDeviceSubscribed()) {
            cloudToDevice.deliver(session);
        }
    }
}
