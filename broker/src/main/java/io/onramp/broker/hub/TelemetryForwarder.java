package io.onramp.broker.hub;

import io.vertx.core.Future;

/**
 * Sends a hub's telemetry upstream. The future completes once the message is safe (for example
 * in a durable outbox): only then is a QoS 1 message acknowledged to the device.
 */
@FunctionalInterface
public interface TelemetryForwarder {
    Future<Void> forward(TelemetryMessage message);
}
