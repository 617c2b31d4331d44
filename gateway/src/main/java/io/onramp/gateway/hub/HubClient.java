package io.onramp.gateway.hub;

import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.vertx.core.Future;

/**
 * How provisioning registers a device at a hub: in process for a hub this gateway hosts, over the
 * hub registry REST API for a hub elsewhere (later). The future completes once the hub has it durably.
 */
public interface HubClient {
    Future<DeviceIdentity> provision(DeviceProvisioning request);
}
