package io.onramp.broker.registry;

import io.onramp.broker.twin.TwinUpdate;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The identity registry of the hubs this broker hosts, with the service side of their twins.
 * Implementations are durable: a returned future completes only once the change is on disk.
 * Refusals fail the future with {@link io.onramp.broker.hub.HubException}: 404 {@code DeviceNotFound},
 * 409 {@code DeviceAlreadyExists}, 412 {@code PreconditionFailed} (etag), 400 {@code ArgumentInvalid}.
 * An {@code ifMatch} of null or {@code *} matches any etag; quotes around an etag are ignored.
 */
public interface DeviceRegistry {

    /**
     * Creates the device with its initial twin, or refreshes the credentials of an existing one made for the same
     * {@link DeviceProvisioning#owner}; one made for another owner, or through the registry API, is left as it is
     * and the request refused with 409 {@code DeviceAlreadyExists}.
     */
    Future<DeviceIdentity> provision(DeviceProvisioning request);

    Future<Optional<DeviceIdentity>> find(String hubHostName, String deviceId);

    Future<Optional<DeviceTwin>> twin(String hubHostName, String deviceId);

    /** Devices of one hub (or of all hubs when {@code hubHostName} is null), ordered by hub and device ID. */
    default Future<List<DeviceIdentity>> list(String hubHostName, int limit) {
        return list(hubHostName, null, limit);
    }

    /**
     * A page of devices ordered by hub and device ID, starting after {@code afterDeviceId} (null: from the first;
     * only with a hub, since device IDs are unique within a hub).
     */
    Future<List<DeviceIdentity>> list(String hubHostName, String afterDeviceId, int limit);

    /** Number of devices per hub host name, for the hub registry's live counts. */
    Future<Map<String, Long>> countByHub();

    /** Number of one hub's devices by status (a status no device has is left out), for {@code GET /statistics/devices}. */
    Future<Map<DeviceStatus, Long>> countByStatus(String hubHostName);

    /** Creates a device with an empty twin and a new generation ID; 409 when it exists. */
    Future<DeviceIdentity> create(DeviceDraft draft);

    /** Replaces status, authentication and capabilities of an existing device; 404, 412. */
    Future<IdentityUpdate> update(DeviceDraft draft, String ifMatch);

    /** Deletes the device and its twin; answers the identity that was deleted. 404, 412. */
    Future<DeviceIdentity> delete(String hubHostName, String deviceId, String ifMatch);

    /** The device with its twin; 404 when there is none. */
    Future<HubTwin> readTwin(String hubHostName, String deviceId);

    /** A page of twins of one hub ordered by device ID, starting after {@code afterDeviceId} (null: from the first). */
    Future<List<HubTwin>> twins(String hubHostName, String afterDeviceId, int limit);

    /** Merges tags and desired properties; {@code ifMatch} is compared with the twin's etag. */
    Future<TwinWrite> patchTwin(String hubHostName, String deviceId, TwinUpdate update, String ifMatch);

    /** Replaces tags and desired properties; {@code ifMatch} is compared with the twin's etag. */
    Future<TwinWrite> replaceTwin(String hubHostName, String deviceId, TwinUpdate update, String ifMatch);
}
