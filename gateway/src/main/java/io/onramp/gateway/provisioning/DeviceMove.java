package io.onramp.gateway.provisioning;

import io.onramp.gateway.hub.DeviceData;
import io.onramp.gateway.hub.HubDirectory;
import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The old-hub side of re-provisioning a device to another hub (dps-service-api 13.2): its data read
 * before the new identity is created, its old identity deleted after. Neither step stops the move: a
 * device whose old hub is gone or down still gets its new hub, and a WARN line says what was left undone.
 */
final class DeviceMove {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceMove.class);

    private final HubDirectory hubs;

    DeviceMove(HubDirectory hubs) {
        this.hubs = hubs;
    }

    /** The tags, desired properties and capabilities at the old hub; empty when it has none or cannot be read. */
    Future<Optional<DeviceData>> readData(String registrationId, String oldHub, String deviceId) {
        return hubs.call(oldHub, client -> client.read(oldHub, deviceId)).recover(failure -> {
            LOG.warn("registration {}: the data of device {} could not be read from its old hub {} ({}); its new identity"
                    + " gets the enrollment's initial twin", registrationId, deviceId, oldHub, HubFailure.of(oldHub, deviceId, failure).reason());
            return Future.succeededFuture(Optional.empty());
        });
    }

    /** Deletes the old identity, so that one device has one live identity; completes either way. */
    Future<Void> removeOld(String registrationId, String oldHub, String deviceId) {
        return hubs.call(oldHub, client -> client.delete(oldHub, deviceId)).recover(failure -> {
            LOG.warn("registration {} moved, but device {} could not be deleted at its old hub {} ({}); delete or"
                    + " disable it there", registrationId, deviceId, oldHub, HubFailure.of(oldHub, deviceId, failure).reason());
            return Future.succeededFuture();
        });
    }
}
