package io.onramp.broker.registry;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The identity registry of the hubs this broker hosts. Implementations are durable: a returned
 * future completes only once the change is on disk.
 */
public interface DeviceRegistry {

    /** Creates the device with its initial twin, or refreshes the credentials of an existing one. */
    Future<DeviceIdentity> provision(DeviceProvisioning request);

    Future<Optional<DeviceIdentity>> find(String hubHostName, String deviceId);

    Future<Optional<DeviceTwin>> twin(String hubHostName, String deviceId);

    /** Devices of one hub (or of all hubs when {@code hubHostName} is null), ordered by hub and device ID. */
    Future<List<DeviceIdentity>> list(String hubHostName, int limit);

    /** Number of devices per hub host name, for the hub registry's live counts. */
    Future<java.util.Map<String, Long>> countByHub();
}
