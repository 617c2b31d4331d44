package io.onramp.gateway.hub;

import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * How provisioning reaches a hub: in process for a hub this gateway hosts, over the hub registry REST
 * API for a hub elsewhere. Each future completes once the hub has the change durably.
 */
public interface HubClient {
    Future<DeviceIdentity> provision(DeviceProvisioning request);

    /**
     * Whether this hub's identities live in the store registration records go to, written by its one writer in
     * order: provisioning may then hand both writes over at once (see DefaultProvisioningService).
     */
    default boolean sharesRegistrationStore() {
        return false;
    }

    /** The device's data to carry to another hub; empty when the hub has no such device. */
    Future<Optional<DeviceData>> read(String hubHostName, String deviceId);

    /** Deletes the device's identity and twin (its connections close); also completes when the hub has no such device. */
    Future<Void> delete(String hubHostName, String deviceId);
}
