package io.onramp.gateway.hub;

import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceRegistry;
import io.vertx.core.Future;

/** A hub hosted by this gateway's broker: provisioning writes straight into its registry. */
public final class LocalHubClient implements HubClient {

    private final DeviceRegistry registry;

    public LocalHubClient(DeviceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<DeviceIdentity> provision(DeviceProvisioning request) {
        return registry.provision(request);
    }
}
