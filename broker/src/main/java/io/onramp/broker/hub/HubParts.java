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
        ConnectedDevices connected) {}
